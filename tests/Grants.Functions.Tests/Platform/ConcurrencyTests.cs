using System.Net;
using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

public sealed class ConcurrencyTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Rename(string id, string etag, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/schemes/{id}/name") { Content = HttpAssertions.Json(new RenameSchemeRequest(name)) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    [Fact]
    public async Task ConcurrentUpdatesWithSameETagHaveExactlyOneWinner()
    {
        using var ministry = api.As(Roles.Ministry);
        var (scheme, etag) = await ministry.CreateAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => ministry.SendAsync(Rename(scheme.Id, etag, $"Renamed {i}"), Ct)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await loser.AssertProblemAsync(HttpStatusCode.Conflict, "concurrency-conflict");
        }

        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadAsync<SchemeResponse>();
        var stored = await (await ministry.GetAsync($"api/schemes/{scheme.Id}", Ct)).ReadAsync<SchemeResponse>();
        Assert.Equal(winner.Name, stored.Name);
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task UpdateWithStaleETagAnswers409AndChangesNothing()
    {
        using var ministry = api.As(Roles.Ministry);
        var (scheme, stale) = await ministry.CreateAsync();
        Assert.Equal(HttpStatusCode.OK, (await ministry.SendAsync(Rename(scheme.Id, stale, "First rename"), Ct)).StatusCode);

        var response = await ministry.SendAsync(Rename(scheme.Id, stale, "Overwrite attempt"), Ct);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "concurrency-conflict");
        var stored = await (await ministry.GetAsync($"api/schemes/{scheme.Id}", Ct)).ReadAsync<SchemeResponse>();
        Assert.Equal("First rename", stored.Name);
    }

    [Fact]
    public async Task UpdateWithoutIfMatchAnswers428()
    {
        using var ministry = api.As(Roles.Ministry);
        var (scheme, _) = await ministry.CreateAsync();
        var response = await ministry.PutAsync($"api/schemes/{scheme.Id}/name", HttpAssertions.Json(new RenameSchemeRequest("No precondition")), Ct);
        await response.AssertProblemAsync(HttpStatusCode.PreconditionRequired, "precondition-required");
    }

    [Fact]
    public async Task RetiredSchemeCannotBeRetiredAgain()
    {
        using var ministry = api.As(Roles.Ministry);
        var (scheme, _) = await ministry.CreateAsync();
        var retire = HttpAssertions.Json(new RetireSchemeRequest("Programme period ended"));
        Assert.Equal(HttpStatusCode.OK, (await ministry.PostAsync($"api/schemes/{scheme.Id}/retire", retire, Ct)).StatusCode);

        var again = await ministry.PostAsync($"api/schemes/{scheme.Id}/retire", HttpAssertions.Json(new RetireSchemeRequest("Again")), Ct);

        await again.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
    }
}
