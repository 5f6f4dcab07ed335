using System.Net;
using Azure.Storage.Blobs;
using Grants.Contracts.Lottery;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;

namespace Grants.Functions.Tests.Platform;

/// <summary>Evidence goes to the evidence account, write-once, and nowhere else.</summary>
[Collection(nameof(EvidenceHost))]
public sealed class EvidenceAccountTests(EvidenceGrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADrawPublishesItsProtocolAndAnnouncementsInTheEvidenceAccountOnly()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);

        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);

        var evidence = new BlobServiceClient(api.EvidenceConnectionString);
        Assert.True(await evidence.GetBlobContainerClient(ContainerNames.Protocols).GetBlobClient($"{drawn.Round.Id}/{status.Draw!.ProtocolHash}.json").ExistsAsync(Ct));
        var announced = await evidence.GetBlobContainerClient(ContainerNames.Announcements).GetBlobsAsync(new() { Prefix = $"{drawn.Round.Id}/" }, Ct).Select(b => b.Name).ToListAsync(Ct);
        Assert.Contains($"{drawn.Round.Id}/pool.json", announced);
        Assert.Equal(2, announced.Count(n => n.Contains("/commitments/", StringComparison.Ordinal)));
        var data = new BlobServiceClient(api.StorageConnectionString);
        foreach (var container in ContainerNames.Evidence)
        {
            Assert.False(await data.GetBlobContainerClient(container).ExistsAsync(Ct), $"the data account has a container {container}");
        }

        // Read back from where it was written.
        using var anyone = api.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync($"api/rounds/{drawn.Round.Id}/lottery/protocol", Ct)).StatusCode);
    }

    [Fact]
    public async Task AnEvidenceBlobIsNeverOverwritten()
    {
        var container = await api.Storage().ContainerAsync(ContainerNames.Announcements, Ct);
        var blob = container.GetBlobClient($"round-{Guid.NewGuid():N}/pool.json");
        Assert.True(await WriteOnceBlob.CreateAsync(blob, BinaryData.FromString("""{"poolHash":"a"}"""), "application/json", Ct));
        var written = (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.ETag;

        // The same bytes again (a retry) count as written; other bytes are refused and change nothing.
        Assert.False(await WriteOnceBlob.CreateAsync(blob, BinaryData.FromString("""{"poolHash":"a"}"""), "application/json", Ct));
        await Assert.ThrowsAsync<EvidenceConflictException>(() => WriteOnceBlob.CreateAsync(blob, BinaryData.FromString("""{"poolHash":"b"}"""), "application/json", Ct));

        Assert.Equal(written, (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.ETag);
        Assert.Equal("""{"poolHash":"a"}""", (await blob.DownloadContentAsync(Ct)).Value.Content.ToString());
    }
}
