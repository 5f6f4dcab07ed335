using System.Net;
using Azure.Data.Tables;
using Grants.Contracts.Applications;
using Grants.Contracts.Audit;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Applications;

/// <summary>
/// Starting an application carries its Idempotency-Key in the create itself (no reservation, no
/// stored response): the first audit event names the request. A retry answers with the application
/// it created, whatever happened since; another request under the same key is refused; racing
/// attempts all answer with the one application.
/// </summary>
public sealed class StartApplicationKeyTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Start(string roundId, string key, string title = "Hybride werken in de zorg")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/rounds/{roundId}/applications") { Content = HttpAssertions.Json(new StartApplicationRequest(GrantBuilders.Content(title))) };
        request.Headers.Add(IdempotentRequests.HeaderName, key);
        return request;
    }

    [Fact]
    public async Task ARetryAnswersWithTheOriginalResponseAndStartsNothingMore()
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        var key = Guid.NewGuid().ToString();

        var first = await applicant.SendAsync(Start(round.Id, key), Ct);
        var retry = await applicant.SendAsync(Start(round.Id, key), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        var started = await first.ReadAsync<ApplicationResponse>(HttpStatusCode.Created);
        Assert.Single(await TrailAsync(started.Id), e => e.Type == "ApplicationStarted");

        // The key cost no storage call of its own: nothing was reserved for it.
        var idempotency = await api.Storage().TableAsync(TableNames.Idempotency, Ct);
        var operation = IdempotentRequests.OperationId(new Caller($"user-{kvk}", new HashSet<string> { Roles.Applicant }, kvk), key);
        Assert.False((await idempotency.GetEntityIfExistsAsync<TableEntity>(operation, "", cancellationToken: Ct)).HasValue);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIsRefusedAndChangesNothing()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var key = Guid.NewGuid().ToString();
        var started = await (await applicant.SendAsync(Start(round.Id, key, "Eerste plan"), Ct)).ReadAsync<ApplicationResponse>(HttpStatusCode.Created);

        var other = await applicant.SendAsync(Start(round.Id, key, "Ander plan"), Ct);

        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        var stored = await (await applicant.GetAsync($"api/applications/{started.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Eerste plan", stored.Content.Title);
        Assert.Equal(started.Version, stored.Version);
        Assert.Single(await TrailAsync(started.Id));
    }

    [Fact]
    public async Task AnotherKeyForTheSameRoundIsToldTheApplicationExists()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var started = await (await applicant.SendAsync(Start(round.Id, Guid.NewGuid().ToString()), Ct)).ReadAsync<ApplicationResponse>(HttpStatusCode.Created);

        var again = await applicant.SendAsync(Start(round.Id, Guid.NewGuid().ToString()), Ct);

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict, "already-exists");
        Assert.Equal(started.Id, problem.GetProperty("applicationId").GetString());
    }

    [Fact]
    public async Task RacingAttemptsWithOneKeyAllAnswerWithTheOneApplication()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => applicant.SendAsync(Start(round.Id, key), Ct)));

        var bodies = new List<ApplicationResponse>();
        foreach (var response in responses)
        {
            bodies.Add(await response.ReadAsync<ApplicationResponse>(HttpStatusCode.Created));
        }

        Assert.Single(bodies.Select(b => b.Id).Distinct());
        Assert.Single(await TrailAsync(bodies[0].Id));
    }

    [Fact]
    public async Task ARetryAfterTheRoundClosedAnswersWithTheApplicationItStarted()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var key = Guid.NewGuid().ToString();
        var started = await (await applicant.SendAsync(Start(round.Id, key), Ct)).ReadAsync<ApplicationResponse>(HttpStatusCode.Created);
        using var ministry = api.As(Roles.Ministry);
        await LotteryScenario.Ok(ministry.PostAsync($"api/rounds/{round.Id}/close", null, Ct));

        var retry = await applicant.SendAsync(Start(round.Id, key), Ct);
        using var latecomer = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var late = await latecomer.SendAsync(Start(round.Id, key), Ct);

        Assert.Equal(started.Id, (await retry.ReadAsync<ApplicationResponse>(HttpStatusCode.Created)).Id);
        await late.AssertProblemAsync(HttpStatusCode.Conflict, "round-not-open");
    }

    [Fact]
    public async Task ARetryAfterTheApplicationChangedAnswersWithItAsItIsNow()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var key = Guid.NewGuid().ToString();
        var first = await applicant.SendAsync(Start(round.Id, key), Ct);
        var started = await first.ReadAsync<ApplicationResponse>(HttpStatusCode.Created);
        var edit = new HttpRequestMessage(HttpMethod.Put, $"api/applications/{started.Id}") { Content = HttpAssertions.Json(new EditApplicationRequest(GrantBuilders.Content("Bijgesteld plan"))) };
        edit.Headers.TryAddWithoutValidation("If-Match", first.Headers.ETag!.ToString());
        var edited = await applicant.SendAsync(edit, Ct);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        var retry = await applicant.SendAsync(Start(round.Id, key), Ct);

        // Still the one application, with the ETag that lets the caller go on editing it.
        var answer = await retry.ReadAsync<ApplicationResponse>(HttpStatusCode.Created);
        Assert.Equal(started.Id, answer.Id);
        Assert.Equal("Bijgesteld plan", answer.Content.Title);
        Assert.Equal(edited.Headers.ETag, retry.Headers.ETag);
        Assert.Single(await TrailAsync(started.Id), e => e.Type == "ApplicationStarted");
    }

    private async Task<IReadOnlyList<AuditEventResponse>> TrailAsync(string id)
    {
        using var auditor = api.As(Roles.Auditor);
        return (await (await auditor.GetAsync($"api/audit/{id}", Ct)).ReadAsync<AuditTrailResponse>()).Events;
    }
}
