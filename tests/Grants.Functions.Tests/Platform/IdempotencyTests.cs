using System.Net;
using Grants.Contracts.Audit;
using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

public sealed class IdempotencyTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Create(CreateSchemeRequest body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/schemes") { Content = HttpAssertions.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task ReplayReturnsOriginalResponseWithOneEffect()
    {
        using var ministry = api.As(Roles.Ministry);
        var body = SchemeRequests.EsfSocialInnovation();
        var key = Guid.NewGuid().ToString();

        var first = await ministry.SendAsync(Create(body, key), Ct);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        var replay = await ministry.SendAsync(Create(body, key), Ct);
        var replayBody = await replay.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(firstBody, replayBody);
        Assert.Equal(first.Headers.Location, replay.Headers.Location);

        var all = await (await ministry.GetAsync("api/schemes", Ct)).ReadAsync<List<SchemeResponse>>();
        var created = Assert.Single(all, s => s.Name == body.Name);
        var trail = await (await ministry.GetAsync($"api/audit/{created.Id}", Ct)).ReadAsync<AuditTrailResponse>();
        Assert.Single(trail.Events);
    }

    [Fact]
    public async Task ConcurrentRequestsWithSameKeyHaveOneEffect()
    {
        using var ministry = api.As(Roles.Ministry, subject: "ministry-concurrent");
        var body = SchemeRequests.EsfSocialInnovation();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ministry.SendAsync(Create(body, key), Ct)));

        // Each is either the created scheme or "still in progress, retry"; never a second scheme.
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        var all = await (await ministry.GetAsync("api/schemes", Ct)).ReadAsync<List<SchemeResponse>>();
        Assert.Single(all, s => s.Name == body.Name);
    }

    [Fact]
    public async Task SameKeyWithDifferentBodyAnswers422AndStoresNothing()
    {
        using var ministry = api.As(Roles.Ministry);
        var key = Guid.NewGuid().ToString();
        var first = SchemeRequests.EsfSocialInnovation();
        var second = SchemeRequests.EsfSocialInnovation();

        Assert.Equal(HttpStatusCode.Created, (await ministry.SendAsync(Create(first, key), Ct)).StatusCode);
        var response = await ministry.SendAsync(Create(second, key), Ct);

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        var all = await (await ministry.GetAsync("api/schemes", Ct)).ReadAsync<List<SchemeResponse>>();
        Assert.DoesNotContain(all, s => s.Name == second.Name);
    }

    [Fact]
    public async Task SameKeyFromAnotherCallerIsAnotherRequest()
    {
        using var one = api.As(Roles.Ministry, subject: "ministry-one");
        using var two = api.As(Roles.Ministry, subject: "ministry-two");
        var key = Guid.NewGuid().ToString();

        var a = await one.SendAsync(Create(SchemeRequests.EsfSocialInnovation(), key), Ct);
        var b = await two.SendAsync(Create(SchemeRequests.EsfSocialInnovation(), key), Ct);

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.NotEqual(a.Headers.Location, b.Headers.Location);
    }

    [Fact]
    public async Task RejectedRequestIsRememberedAndReplayedAsRejected()
    {
        using var ministry = api.As(Roles.Ministry);
        var key = Guid.NewGuid().ToString();
        var invalid = new CreateSchemeRequest("", "ProjectSubsidy", null);

        var first = await ministry.SendAsync(Create(invalid, key), Ct);
        var replay = await ministry.SendAsync(Create(invalid, key), Ct);

        await first.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        await replay.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
    }
}
