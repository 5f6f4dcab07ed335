using System.Net;
using System.Text.Json;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// What a well-behaved client does when the service is having trouble: it sends the same request
/// again (same Idempotency-Key, same body) after a 5xx, a 429, an "in progress" 409, a dropped
/// connection or a timeout, with a short growing pause, until it gets a final answer.
/// </summary>
public static class RetryingClient
{
    public sealed record Outcome(HttpStatusCode Status, string Body, int Attempts)
    {
        public bool Succeeded => (int)Status is >= 200 and < 300;

        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    public static async Task<Outcome> SendAsync(this HttpClient client, Func<HttpRequestMessage> request, int maxAttempts = 60)
    {
        var ct = TestContext.Current.CancellationToken;
        for (var attempt = 1; ; attempt++)
        {
            HttpStatusCode status;
            string body;
            try
            {
                using var response = await client.SendAsync(request(), ct);
                status = response.StatusCode;
                body = await response.Content.ReadAsStringAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException && !ct.IsCancellationRequested)
            {
                if (attempt >= maxAttempts)
                {
                    throw;
                }

                // A dropped connection, or no answer within the client's timeout: the request may or may not have taken effect.
                Retried.AddOrUpdate(e is HttpRequestException ? "connection" : "timeout", 1, (_, n) => n + 1);
                await Task.Delay(Pause(attempt), ct);
                continue;
            }

            if (attempt < maxAttempts && IsTransient(status, body))
            {
                Retried.AddOrUpdate($"{(int)status} {ProblemType(body)}", 1, (_, n) => n + 1);
                await Task.Delay(Pause(attempt), ct);
                continue;
            }

            return new Outcome(status, body, attempt);
        }
    }

    /// <summary>A POST with a JSON body (or none) and an Idempotency-Key, sent until final.</summary>
    public static Task<Outcome> PostAsync(this HttpClient client, string path, object? body, string idempotencyKey) =>
        client.SendAsync(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : HttpAssertions.Json(body) };
            message.Headers.Add("Idempotency-Key", idempotencyKey);
            return message;
        });

    /// <summary>Why requests were sent again in this run, by status and problem type.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, int> Retried { get; } = new();

    private static string ProblemType(string body)
    {
        var start = body.IndexOf("urn:grants:problem:", StringComparison.Ordinal);
        return start < 0 ? "" : new string(body[(start + 19)..].TakeWhile(c => c != '"').ToArray());
    }

    private static bool IsTransient(HttpStatusCode status, string body) =>
        (int)status >= 500
        || status == HttpStatusCode.TooManyRequests
        || (status == HttpStatusCode.Conflict && body.Contains("idempotency-in-progress", StringComparison.Ordinal));

    private static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(Math.Min(1_000, 20 * attempt * attempt));
}
