using System.Net;
using Grants.Contracts.Applications;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Applications;

/// <summary>docs/design.md §2.7: an applicant sees only its own organisation's data — every read and write route, tried by another organisation.</summary>
public sealed class ApplicationAccessTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string?> RoutesOfAnotherOrganisation => new()
    {
        { "GET", "api/applications/{app}", null },
        { "GET", "api/applications/{app}/attachments/project-plan", null },
        { "GET", "api/applications/{app}/attachments/budget", null },
        { "GET", "api/organisations/{kvk}", null },
        { "GET", "api/organisations/{kvk}/applications", null },
        { "PUT", "api/applications/{app}", "edit" },
        // With an ETag that does not match, an intruder must still learn nothing: not found, not a conflict.
        { "PUT", "api/applications/{app}", "edit-stale" },
        { "PUT", "api/applications/{app}/attachments/budget", "pdf" },
        { "POST", "api/applications/{app}/submit", null },
        { "POST", "api/applications/{app}/withdraw", """{"reason":"We no longer want this."}""" },
        { "POST", "api/applications/{app}/information-requests/ir-1/answer", """{"answer":"Here it is."}""" },
    };

    [Theory]
    [MemberData(nameof(RoutesOfAnotherOrganisation))]
    public async Task AnotherOrganisationGets404AndChangesNothing(string method, string template, string? body)
    {
        var round = await api.OpenRoundAsync();
        var owner = GrantBuilders.NewKvk();
        using var ownerClient = await api.RegisteredApplicantAsync(owner);
        var draft = await ownerClient.DraftAsync(round.Id);
        var ownerView = await ownerClient.GetAsync($"api/applications/{draft.Id}", Ct);
        using var intruder = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var path = template.Replace("{app}", draft.Id, StringComparison.Ordinal).Replace("{kvk}", owner, StringComparison.Ordinal);
        // A request that would succeed for the owner: the only thing wrong with it is who sends it.
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body switch
            {
                null => null,
                "edit" or "edit-stale" => HttpAssertions.Json(new EditApplicationRequest(GrantBuilders.Content("Hijacked"))),
                "pdf" => new ByteArrayContent(TestPdf.Create(2_000)) { Headers = { ContentType = new("application/pdf") } },
                _ => HttpAssertions.Json(body),
            },
        };
        request.Headers.TryAddWithoutValidation("If-Match", body == "edit-stale" ? "W/\"datetime'2000-01-01T00%3A00%3A00.0000000Z'\"" : ownerView.Headers.ETag!.ToString());

        var response = await intruder.SendAsync(request, Ct);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var unchanged = await (await ownerClient.GetAsync($"api/applications/{draft.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal(draft.Version, unchanged.Version);
        Assert.Equal("Draft", unchanged.Status);
    }

    [Fact]
    public async Task ApplicantListsOnlyItsOwnApplicationsInEveryRound()
    {
        var round = await api.OpenRoundAsync();
        var later = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var own = await api.RegisteredApplicantAsync(kvk);
        var mine = await own.DraftAsync(round.Id);
        var mineLater = await own.DraftAsync(later.Id);
        using var other = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        await other.DraftAsync(round.Id);

        var list = await (await own.GetAsync($"api/organisations/{kvk}/applications", Ct)).ReadAsync<List<ApplicationSummaryResponse>>();

        Assert.Equal(new[] { mine.Id, mineLater.Id }.Order(StringComparer.Ordinal), list.Select(a => a.Id));
    }

    [Fact]
    public async Task RoundListIsForTheMinistryOnly()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        await (await applicant.GetAsync($"api/rounds/{round.Id}/applications", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await applicant.GetAsync($"api/rounds/{round.Id}/applications/counts", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await applicant.GetAsync($"api/rounds/{round.Id}/pool", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task OrganisationCanOnlyRegisterTheKvkItsTokenActsFor()
    {
        using var client = api.As(Roles.Applicant, organisation: GrantBuilders.NewKvk());
        var response = await client.PostAsync("api/organisations", HttpAssertions.Json(new Contracts.Organisations.RegisterOrganisationRequest(
            GrantBuilders.NewKvk(), "Someone Else BV", "industry", "small", false, "nl", "X", "x@example.org")), Ct);
        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
