using System.Net;
using System.Text.Json;

namespace Grants.LocalHost.Clients;

/// <summary>
/// For a client that must wait for what its request started (the demo, the tests, the benchmarks): a 202 whose Location
/// is an operation's status is followed, with the request's own credentials, until the operation Succeeded — then the
/// 202 is returned as it came — or Failed or Refused, which throw with what the status says. Polls at most every
/// <see cref="MaxPollInterval"/>, for at most <see cref="Timeout"/>.
/// </summary>
public sealed class OperationWaiter(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(500);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location
            && location.OriginalString.StartsWith("/api/operations/", StringComparison.Ordinal))
        {
            await PollAsync((poll, ct) => base.SendAsync(poll, ct), new Uri(request.RequestUri!, location), request.Headers.Authorization, Timeout, cancellationToken);
        }

        return response;
    }

    /// <summary>Waits for the operation of that id, read with the client's own credentials (work a timer started, say).</summary>
    public static Task WaitAsync(HttpClient client, string operationId, TimeSpan timeout, CancellationToken cancellationToken) =>
        PollAsync(client.SendAsync, new Uri(client.BaseAddress!, $"api/operations/{operationId}"), client.DefaultRequestHeaders.Authorization, timeout, cancellationToken);

    private static async Task PollAsync(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, Uri status, System.Net.Http.Headers.AuthenticationHeaderValue? authorization,
        TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var delay = TimeSpan.FromMilliseconds(20);
        string? last = null;
        try
        {
            while (true)
            {
                using var poll = new HttpRequestMessage(HttpMethod.Get, status);
                poll.Headers.Authorization = authorization;
                using var answer = await send(poll, timeout.Token);
                last = await answer.Content.ReadAsStringAsync(timeout.Token);
                if (answer.IsSuccessStatusCode)
                {
                    using var document = JsonDocument.Parse(last);
                    switch (document.RootElement.GetProperty("status").GetString())
                    {
                        case "Succeeded":
                            return;
                        case "Failed":
                            throw new InvalidOperationException($"Operation {status} failed: {last}");
                        case "Refused":
                            throw new OperationRefusedException($"Operation {status} was refused: {last}");
                    }
                }
                else if (answer.StatusCode != HttpStatusCode.NotFound && (int)answer.StatusCode < 500)
                {
                    // Not found yet is possible after a replayed response; a server error may pass. Anything else will not.
                    throw new InvalidOperationException($"Reading operation {status} gave {(int)answer.StatusCode}: {last}");
                }

                await Task.Delay(delay, timeout.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollInterval.Ticks));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Operation {status} did not finish within {limit}; it last said: {last}");
        }
    }
}

/// <summary>The operation a client waited for was refused by a rule of the procedure: its status says why.</summary>
public sealed class OperationRefusedException(string message) : InvalidOperationException(message);
