using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// Values no person would send, on the routes that move money or decide: huge, negative, fractional
/// and quoted numbers, unknown codes. Each gets a 4xx problem response, and neither the application
/// nor the round's ledger changes.
/// </summary>
public sealed class HostileValuesTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, HttpStatusCode> Cases => new()
    {
        { "negative award", "award", """{"amountCents":-1}""", HttpStatusCode.UnprocessableEntity },
        { "zero award", "award", """{"amountCents":0}""", HttpStatusCode.UnprocessableEntity },
        { "award of long.MaxValue", "award", """{"amountCents":9223372036854775807}""", HttpStatusCode.UnprocessableEntity },
        { "award beyond 64 bits", "award", """{"amountCents":1e30}""", HttpStatusCode.BadRequest },
        { "award with cents fraction", "award", """{"amountCents":1.5}""", HttpStatusCode.BadRequest },
        { "award as a string", "award", """{"amountCents":"5000000"}""", HttpStatusCode.BadRequest },
        { "award as null", "award", """{"amountCents":null}""", HttpStatusCode.BadRequest },
        { "unknown rejection reason", "reject", """{"reasonCodes":["we-ran-out-of-coffee"],"note":"Because."}""", HttpStatusCode.UnprocessableEntity },
        { "no rejection reason", "reject", """{"reasonCodes":[],"note":"Because."}""", HttpStatusCode.UnprocessableEntity },
        { "unknown eligibility outcome", "eligibility", """{"outcome":"maybe"}""", HttpStatusCode.UnprocessableEntity },
        { "negative top-up", "top-up", """{"amountCents":-100000,"reason":"Correction."}""", HttpStatusCode.UnprocessableEntity },
        { "top-up beyond 64 bits", "top-up", """{"amountCents":99999999999999999999,"reason":"More."}""", HttpStatusCode.BadRequest },
        { "top-up of long.MaxValue", "top-up", """{"amountCents":9223372036854775807,"reason":"Everything."}""", HttpStatusCode.UnprocessableEntity },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnswersAProblemAndChangesNothing(string because, string route, string body, HttpStatusCode status)
    {
        var drawn = await new LotteryScenario(api).FrozenRoundAsync(ceilingCents: 300_000_00, amounts: [50_000_00, 50_000_00]);
        await new LotteryScenario(api).RevealBothAsync(drawn);
        await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
        var application = drawn.Applications[0];
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var before = await ministry.GetAsync($"api/applications/{application.Id}", Ct);
        var budgetBefore = await (await ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();

        var path = route == "top-up" ? $"api/rounds/{drawn.Round.Id}/budget/top-ups" : $"api/applications/{application.Id}/{route}";
        var response = await ministry.PostAsync(path, HttpAssertions.Json(body), Ct);

        Assert.True(response.StatusCode == status, $"{because}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var after = await ministry.GetAsync($"api/applications/{application.Id}", Ct);
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
        var budgetAfter = await (await ministry.GetAsync($"api/rounds/{drawn.Round.Id}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal((budgetBefore.CeilingCents, budgetBefore.CommittedCents, budgetBefore.Entries.Count), (budgetAfter.CeilingCents, budgetAfter.CommittedCents, budgetAfter.Entries.Count));
    }

    [Theory]
    [InlineData("""{"content":{"title":"T","summary":"S","themes":["flexible-work-organisation"],"requestedAmountCents":-5,"coFinancingCents":0,"consentToFollowUp":true}}""")]
    [InlineData("""{"content":{"title":"T","summary":"S","themes":["flexible-work-organisation"],"requestedAmountCents":1e40,"coFinancingCents":0,"consentToFollowUp":true}}""")]
    [InlineData("""{"content":{"title":"T","summary":"S","themes":["not-a-theme"],"requestedAmountCents":100,"coFinancingCents":0,"consentToFollowUp":true}}""")]
    [InlineData("""{"content":{"title":"T","summary":"S","themes":["flexible-work-organisation"],"requestedAmountCents":100,"coFinancingCents":-1,"consentToFollowUp":true}}""")]
    public async Task AnApplicationWithImpossibleFiguresIsNotStarted(string body)
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);

        var response = await applicant.PostAsync($"api/rounds/{round.Id}/applications", HttpAssertions.Json(body), Ct);

        Assert.True((int)response.StatusCode is 400 or 422, await response.Content.ReadAsStringAsync(Ct));
        using var ministry = api.As(Roles.Ministry);
        var listed = await (await ministry.GetAsync($"api/rounds/{round.Id}/applications", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(kvk, listed, StringComparison.Ordinal);
    }
}
