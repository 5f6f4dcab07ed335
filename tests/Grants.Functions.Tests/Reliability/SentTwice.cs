using System.Net;
using Azure.Core;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Reliability;

/// <summary>
/// Sends requests whose response is never stored under their Idempotency-Key, each twice: the second
/// time with the same key once the key's lease ran out, as a client whose connection dropped would.
/// Keeps what each attempt answered, so a test can say every step was answered alike.
/// </summary>
public sealed class SentTwice(FaultyGrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The lease <see cref="FaultyGrantsApi"/> gives a key, and a moment.</summary>
    public static readonly TimeSpan PastLease = TimeSpan.FromSeconds(6);

    public List<(string Url, HttpStatusCode First, HttpStatusCode Again, string FirstBody)> Sent { get; } = [];

    /// <summary>Runs the scenario while every attempt to store a response under an Idempotency-Key fails.</summary>
    public async Task<T> ForgetfulAsync<T>(Func<Task<T>> scenario)
    {
        api.Faults.InjectWhere(request => request.Method == RequestMethod.Put && request.Uri.Path.Contains($"/{TableNames.Idempotency}(", StringComparison.Ordinal)
            && StorageFaults.BodyOf(request).Contains("\"State\":\"Completed\"", StringComparison.Ordinal), failBeforeSend: 1, loseResponse: 0);
        try
        {
            return await scenario();
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }
    }

    /// <summary>Sends with a key; then, the response taken as lost, the same again once the key's lease ran out.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, HttpContent? content)
    {
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Add(IdempotentRequests.HeaderName, key);
            return request;
        }

        var first = await client.SendAsync(Request(), Ct);
        api.Advance(PastLease);
        var again = await client.SendAsync(Request(), Ct);
        Sent.Add((url, first.StatusCode, again.StatusCode, await first.Content.ReadAsStringAsync(Ct)));
        return again;
    }

    public void AssertEveryStepAnsweredAlike(int? steps = null)
    {
        Assert.All(Sent, s => Assert.True(s.First == s.Again && (int)s.Again < 300, $"{s.Url}: {(int)s.First} then {(int)s.Again}"));
        if (steps is { } count)
        {
            Assert.Equal(count, Sent.Count);
        }
    }
}
