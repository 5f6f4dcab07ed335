using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Reliability;

/// <summary>Conflicting commands sent at the same moment: exactly one wins, every time.</summary>
public sealed class RaceTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AwardAndRejectOfOneApplicationNeverBothSucceed()
    {
        // Five rounds of ten applications that all fit the budget: fifty selected applications, fifty races.
        var outcomes = new List<(HttpStatusCode Award, HttpStatusCode Reject, string Final)>();
        for (var round = 0; round < 5; round++)
        {
            var drawn = await new LotteryScenario(api).FrozenRoundAsync(ceilingCents: 1_000_000_00, amounts: [.. Enumerable.Repeat(50_000_00L, 10)]);
            await new LotteryScenario(api).RevealBothAsync(drawn);
            await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct));
            await new LotteryScenario(api).AssessAsync(drawn.Round.Id, [.. drawn.Applications.Select(a => a.Id)]);
            using var proposer = api.As(Roles.Ministry, subject: "beleidsmedewerker");
            using var other = api.As(Roles.Ministry, subject: "collega");
            await Task.WhenAll(drawn.Applications.Select(async application =>
            {
                var award = proposer.PostAsync($"api/applications/{application.Id}/award", HttpAssertions.Json(new AwardRequest(50_000_00)), Ct);
                var reject = other.PostAsync($"api/applications/{application.Id}/reject", HttpAssertions.Json(new RejectRequest(["assessment-negative"], "Race.")), Ct);
                var (awarded, rejected) = (await award, await reject);

                var final = await (await proposer.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>();
                lock (outcomes)
                {
                    outcomes.Add((awarded.StatusCode, rejected.StatusCode, final.Status));
                }
            }));
        }

        Assert.Equal(50, outcomes.Count);
        Assert.Equal(0, outcomes.Count(o => o.Award == HttpStatusCode.OK && o.Reject == HttpStatusCode.OK));
        Assert.All(outcomes, o => Assert.True(o.Award == HttpStatusCode.OK ^ o.Reject == HttpStatusCode.OK, $"award {o.Award}, reject {o.Reject}"));
        Assert.All(outcomes, o => Assert.Equal(o.Award == HttpStatusCode.OK ? "Awarded" : "Rejected", o.Final));
        Assert.All(outcomes.Where(o => o.Award != HttpStatusCode.OK), o => Assert.Equal(HttpStatusCode.Conflict, o.Award));
    }
}
