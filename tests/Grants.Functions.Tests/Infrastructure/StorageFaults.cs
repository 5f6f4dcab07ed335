using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// Faults below the Azure SDK, in every storage call's pipeline (once per attempt, so the SDK's own
/// retries meet them too): a share of calls fail before they are sent (the service answers 503
/// without doing anything) and a share lose their response after the service has committed (the
/// connection drops on the way back). Off until <see cref="Inject"/> is called.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private double _failBeforeSend;
    private double _loseResponse;
    private Func<Request, bool> _applies = _ => true;
    private (Func<Request, bool> Applies, int Status)? _refusal;
    private long _calls;
    private long _failedBeforeSend;
    private long _lostResponses;

    public StorageFaults(int seed) => _random = new Random(seed);

    public long Calls => Interlocked.Read(ref _calls);

    public long FailedBeforeSend => Interlocked.Read(ref _failedBeforeSend);

    public long LostResponses => Interlocked.Read(ref _lostResponses);

    /// <summary>Starts injecting at these rates (0 to 1 each) into every call; <c>Inject(0, 0)</c> stops.</summary>
    public void Inject(double failBeforeSend, double loseResponse) => InjectWhere(_ => true, failBeforeSend, loseResponse);

    /// <summary>Injects only into the calls <paramref name="applies"/> picks (e.g. one kind of write at one moment).</summary>
    public void InjectWhere(Func<Request, bool> applies, double failBeforeSend, double loseResponse)
    {
        lock (_gate)
        {
            (_applies, _failBeforeSend, _loseResponse) = (applies, failBeforeSend, loseResponse);
        }
    }

    /// <summary>
    /// The next call <paramref name="applies"/> picks is answered with <paramref name="status"/> without being sent, as the
    /// service refuses a write for a reason of its own (a lease, a container being deleted); the calls after it go through.
    /// </summary>
    public void RefuseOnce(Func<Request, bool> applies, int status)
    {
        lock (_gate)
        {
            _refusal = (applies, status);
        }
    }

    /// <summary>Whether the refusal <see cref="RefuseOnce"/> set is still waiting for its call.</summary>
    public bool RefusalPending
    {
        get
        {
            lock (_gate)
            {
                return _refusal is not null;
            }
        }
    }

    /// <summary>The body a call sends, as text (for <see cref="InjectWhere"/> filters).</summary>
    public static string BodyOf(Request request)
    {
        if (request.Content is null)
        {
            return "";
        }

        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _failedBeforeSend, 0);
        Interlocked.Exchange(ref _lostResponses, 0);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (Refused(message.Request) is { } status)
        {
            message.Response = new Unsent(status, message.Request.ClientRequestId);
            return;
        }

        var fault = Draw(message.Request);
        if (fault == Fault.FailBeforeSend)
        {
            Interlocked.Increment(ref _failedBeforeSend);
            message.Response = new Unsent(503, message.Request.ClientRequestId);
            return;
        }

        await ProcessNextAsync(message, pipeline);
        if (fault == Fault.LoseResponse)
        {
            Interlocked.Increment(ref _lostResponses);
            message.Response.Dispose();
            throw new IOException("Injected fault: the connection dropped after the service committed the request.");
        }
    }

    private int? Refused(Request request)
    {
        lock (_gate)
        {
            if (_refusal is not { } refusal || !refusal.Applies(request))
            {
                return null;
            }

            _refusal = null;
            return refusal.Status;
        }
    }

    private Fault Draw(Request request)
    {
        Interlocked.Increment(ref _calls);
        lock (_gate)
        {
            if ((_failBeforeSend == 0 && _loseResponse == 0) || !_applies(request))
            {
                return Fault.None;
            }

            var roll = _random.NextDouble();
            return roll < _failBeforeSend ? Fault.FailBeforeSend
                : roll < _failBeforeSend + _loseResponse ? Fault.LoseResponse
                : Fault.None;
        }
    }

    private enum Fault
    {
        None,
        FailBeforeSend,
        LoseResponse,
    }

    /// <summary>What the storage front end answers without touching the data: 503 when it is busy, or a refusal of its own.</summary>
    private sealed class Unsent(int status, string clientRequestId) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => status == 503 ? "Service Unavailable" : "Refused before sending";

        // The transport marks errors as it receives them; this response never passed the transport.
        public override bool IsError => true;

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
