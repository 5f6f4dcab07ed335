using System.Net;
using Grants.Contracts.Applications;
using Grants.Contracts.Audit;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Mail;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Applications;

public sealed class ApplicationConcurrencyTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FiftyParallelSubmissionsAllLand()
    {
        var round = await api.OpenRoundAsync();
        var applicants = new List<(HttpClient Client, ApplicationResponse Draft)>();
        foreach (var _ in Enumerable.Range(0, 50))
        {
            var client = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
            applicants.Add((client, await client.DraftAsync(round.Id)));
        }

        var responses = await Task.WhenAll(applicants.Select(a => a.Client.PostAsync($"api/applications/{a.Draft.Id}/submit", null, Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        using var ministry = api.As(Roles.Ministry);
        var counts = await (await ministry.GetAsync($"api/rounds/{round.Id}/applications/counts", Ct)).ReadAsync<ApplicationCountsResponse>();
        Assert.Equal(50, counts.ByStatus["Submitted"]);
        foreach (var (client, _) in applicants)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task RetriedSubmissionWithSameIdempotencyKeyHasOneEffect()
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        var draft = await applicant.DraftAsync(round.Id);
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Submit()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"api/applications/{draft.Id}/submit");
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        var first = await applicant.SendAsync(Submit(), Ct);
        var retry = await applicant.SendAsync(Submit(), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        using var auditor = api.As(Roles.Auditor);
        var trail = await (await auditor.GetAsync($"api/audit/{draft.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Single(trail.Events, e => e.Type == "ApplicationSubmitted");
        await api.FireAsync(nameof(RelayOutbox));
        await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(kvk)));
        Assert.Single(api.Smtp.Messages, m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(kvk)) && m.Subject!.StartsWith("Ontvangstbevestiging", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoConcurrentFirstApplicationsOfOneOrganisationHaveExactlyOneWinner()
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var first = await api.RegisteredApplicantAsync(kvk);
        // A second person of the same organisation, in another session.
        using var second = api.As(Roles.Applicant, organisation: kvk, subject: "colleague");

        var responses = await Task.WhenAll(
            first.PostAsync($"api/rounds/{round.Id}/applications", HttpAssertions.Json(new StartApplicationRequest(GrantBuilders.Content("Plan A"))), Ct),
            second.PostAsync($"api/rounds/{round.Id}/applications", HttpAssertions.Json(new StartApplicationRequest(GrantBuilders.Content("Plan B"))), Ct));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        await responses.Single(r => r.StatusCode != HttpStatusCode.Created).AssertProblemAsync(HttpStatusCode.Conflict, "already-exists");
        var mine = await (await first.GetAsync($"api/organisations/{kvk}/applications", Ct)).ReadAsync<List<ApplicationSummaryResponse>>();
        Assert.Single(mine);
    }
}
