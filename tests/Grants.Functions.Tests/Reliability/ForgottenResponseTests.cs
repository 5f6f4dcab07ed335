using System.Net;
using Azure.Core;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Retention;
using Grants.Functions.Vouchers;

namespace Grants.Functions.Tests.Reliability;

/// <summary>
/// A request whose effect was committed but whose response was never stored under its
/// Idempotency-Key (storing it failed, and the caller's connection dropped): the caller sends it
/// again with the same key once the key's lease has run out, the retry takes the reservation over
/// and runs the command again. Each money and voucher step must then answer as the first attempt
/// did, not "already paid" or "not possible now", and have had one effect.
/// </summary>
public sealed class ForgottenResponseTests(FaultyGrantsApi api) : IClassFixture<FaultyGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The lease <see cref="FaultyGrantsApi"/> gives a key, and a moment.</summary>
    private static readonly TimeSpan PastLease = TimeSpan.FromSeconds(6);

    private readonly List<(string Url, HttpStatusCode First, HttpStatusCode Again)> _sent = [];

    [Fact]
    public async Task AVoucherVerifiedClaimedConfirmedAndPaidByRequestsSentTwiceHasEachStepOnce()
    {
        var file = await ForgetfulAsync(() => Scenario.PaidVoucherAsync());

        Assert.All(_sent, s => Assert.Equal(s.First, s.Again));
        Assert.Equal(4, _sent.Count);
        var events = (await Scenario.TrailAsync(file.VoucherId)).Select(e => e.Type).ToList();
        Assert.Equal(["VoucherIssued", "VoucherClaimed", "VoucherInvoiceAttached", "VoucherClaimConfirmed", "VoucherPaid"], events);
        Assert.Single(await Scenario.TrailAsync(VoucherStores.SupplierId(file.SupplierKvk)), e => e.Type == "SupplierVerified");
    }

    [Fact]
    public async Task AnAdvanceAndASettlementPaidByRequestsSentTwiceArePaidOnce()
    {
        var file = await ForgetfulAsync(() => Scenario.SettledGrantAsync());

        Assert.All(_sent, s => Assert.Equal(s.First, s.Again));
        Assert.Equal(2, _sent.Count);
        var events = (await Scenario.TrailAsync(file.GrantId)).Select(e => e.Type).ToList();
        Assert.Single(events, e => e == "AdvancePaid");
        Assert.Single(events, e => e == "GrantSettled");
    }

    private RetentionScenario Scenario => new(api, api.Advance, SendTwiceAsync);

    /// <summary>Runs the scenario while every attempt to store a response under an Idempotency-Key fails.</summary>
    private async Task<T> ForgetfulAsync<T>(Func<Task<T>> scenario)
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
    private async Task<HttpResponseMessage> SendTwiceAsync(HttpClient client, string url, HttpContent? content)
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
        _sent.Add((url, first.StatusCode, again.StatusCode));
        return again;
    }
}
