using System.Net;
using Grants.Contracts.Rounds;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Rounds;

public sealed class RoundTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(RoundResponse Round, string ETag, HttpClient Ministry)> DraftRoundAsync()
    {
        var ministry = api.As(Roles.Ministry);
        var (scheme, _) = await ministry.CreateAsync();
        var response = await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new CreateRoundRequest("ESF-E 2009", GrantBuilders.Esf2008(api.Clock))), Ct);
        return (await response.ReadAsync<RoundResponse>(HttpStatusCode.Created), response.Headers.ETag!.ToString(), ministry);
    }

    /// <summary>A retired scheme opens no new rounds: neither a new one nor a draft made before its retirement.</summary>
    [Fact]
    public async Task ARetiredSchemesDraftIsNotOpenedAndNoNewRoundIsCreated()
    {
        var (round, _, ministry) = await DraftRoundAsync();
        await Grants.Functions.Tests.Lottery.LotteryScenario.Ok(ministry.PostAsync($"api/schemes/{round.SchemeId}/retire", HttpAssertions.Json(new Grants.Contracts.Schemes.RetireSchemeRequest("The programme ended.")), Ct));

        var refused = await (await ministry.PostAsync($"api/rounds/{round.Id}/open", null, Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal("A retired scheme opens no new rounds.", refused.GetProperty("detail").GetString());
        await (await ministry.PostAsync($"api/schemes/{round.SchemeId}/rounds", HttpAssertions.Json(new CreateRoundRequest("ESF-E 2012", GrantBuilders.Esf2008(api.Clock))), Ct))
            .AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        Assert.Equal("Draft", (await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<RoundResponse>()).Status);
    }

    [Fact]
    public async Task ConfigurationIsVersionedInDraftAndFrozenOnceOpen()
    {
        var (round, etag, ministry) = await DraftRoundAsync();
        Assert.Equal(("Draft", 1), (round.Status, round.ConfigurationVersion));
        var configure = new HttpRequestMessage(HttpMethod.Put, $"api/rounds/{round.Id}/configuration")
        {
            Content = HttpAssertions.Json(new ConfigureRoundRequest(GrantBuilders.Esf2008(api.Clock) with { BudgetCeilingCents = 12_000_000_00, Themes = ["sustainable-employability"] })),
        };
        configure.Headers.TryAddWithoutValidation("If-Match", etag);

        var reconfigured = await (await ministry.SendAsync(configure, Ct)).ReadAsync<RoundResponse>();
        Assert.Equal(2, reconfigured.ConfigurationVersion);
        Assert.Equal(12_000_000_00, reconfigured.Configuration.BudgetCeilingCents);

        var opened = await ministry.PostAsync($"api/rounds/{round.Id}/open", null, Ct);
        var again = new HttpRequestMessage(HttpMethod.Put, $"api/rounds/{round.Id}/configuration") { Content = HttpAssertions.Json(new ConfigureRoundRequest(GrantBuilders.Esf2008(api.Clock))) };
        again.Headers.TryAddWithoutValidation("If-Match", opened.Headers.ETag!.ToString());
        await (await ministry.SendAsync(again, Ct)).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        var stored = await (await ministry.GetAsync($"api/rounds/{round.Id}", Ct)).ReadAsync<RoundResponse>();
        Assert.Equal(("Open", 2, 12_000_000_00L), (stored.Status, stored.ConfigurationVersion, stored.Configuration.BudgetCeilingCents));
        ministry.Dispose();
    }

    [Fact]
    public async Task TimesAreAmsterdamLocalOnTheWire()
    {
        var (round, _, ministry) = await DraftRoundAsync();
        Assert.Equal(AmsterdamOffset(round.OpensAt), round.OpensAt.Offset);
        Assert.Equal(round.Configuration.OpensAt, Grants.Domain.Common.AmsterdamTime.ToLocal(round.OpensAt).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        ministry.Dispose();
    }

    private static TimeSpan AmsterdamOffset(DateTimeOffset instant) => Grants.Domain.Common.AmsterdamTime.Zone.GetUtcOffset(instant);

    public static TheoryData<string, string> BadConfigurations => new()
    {
        { "ceiling below maximum", """{"budgetCeilingCents":100,"maxPerApplicationCents":200}""" },
        { "unknown theme", """{"themes":["astrology"]}""" },
        { "closing before opening", """{"closesAt":"2000-01-01T09:00"}""" },
        { "time with offset", """{"opensAt":"2027-01-01T09:00+01:00"}""" },
        { "time in DST gap", """{"opensAt":"2027-03-28T02:30"}""" },
        { "voucher without value", """{"instrument":"Voucher"}""" },
        { "unknown allocation rule", """{"allocation":{"rule":"random","order":"lottery-then-assess","strata":"none"}}""" },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task BadConfigurationAnswers422AndCreatesNothing(string because, string overrides)
    {
        using var ministry = api.As(Roles.Ministry);
        var (scheme, _) = await ministry.CreateAsync();
        var configuration = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(GrantBuilders.Esf2008(api.Clock), System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(overrides)!.AsObject().ToList())
        {
            configuration[key] = value?.DeepClone();
        }

        var body = new System.Text.Json.Nodes.JsonObject { ["name"] = "Bad round", ["configuration"] = configuration };
        var response = await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(body.ToJsonString()), Ct);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Empty(await (await ministry.GetAsync($"api/schemes/{scheme.Id}/rounds", Ct)).ReadAsync<List<RoundResponse>>());
        _ = because; // names the case in the test report
    }

    [Fact]
    public async Task ApplicationBeforeOpeningIsRefusedWithTheReason()
    {
        var (round, _, ministry) = await DraftRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var response = await applicant.PostAsync($"api/rounds/{round.Id}/applications", HttpAssertions.Json(new Contracts.Applications.StartApplicationRequest()), Ct);
        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "round-not-open");
        Assert.Contains("not been opened", problem.GetProperty("detail").GetString());
        ministry.Dispose();
    }

    [Fact]
    public async Task ApplyingWithoutRegisteredOrganisationIsRefused()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = api.As(Roles.Applicant, organisation: GrantBuilders.NewKvk());
        var response = await applicant.PostAsync($"api/rounds/{round.Id}/applications", HttpAssertions.Json(new Contracts.Applications.StartApplicationRequest()), Ct);
        await response.AssertProblemAsync(HttpStatusCode.Conflict, "organisation-not-registered");
    }

    [Fact]
    public async Task ThemesOfAYearAreListedInBothLanguages()
    {
        using var client = api.Anonymous();
        var themes = await (await client.GetAsync("api/themes/2010", Ct)).ReadAsync<List<ThemeResponse>>();
        Assert.Contains(themes, t => t is { Code: "sustainable-employability", Dutch: "Duurzame inzetbaarheid" });
        Assert.Equal(3, themes.Count);
    }
}
