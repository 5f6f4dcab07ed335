using System.Security.Cryptography;
using Grants.Domain.Lottery;
using Grants.Functions.Lottery;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Lottery;

/// <summary>
/// The versions of a round's protocol in Blob Storage (docs/decisions/0023): the draw's protocol written once, each
/// cut-off change a small document extending it, and any instance, whatever it has read before, reading a version as the
/// protocol its writer left.
/// </summary>
public sealed class ProtocolStoreTests(GrantsApi api)
{
    private static readonly DateTimeOffset At = new(2011, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LotteryProtocol Drawn(string roundId) => LotteryProtocol.Draw(roundId,
        Enumerable.Range(1, 40).Select(i => new DrawEntry($"P-{i:D4}", "all", (40 + (i * 7 % 60)) * 1_000_00L)),
        [RandomNumberGenerator.GetBytes(32)], new ProtocolDesign("skip", 1_000_000_00, null), 100, At, new string('a', 64));

    /// <summary>A round's draw written, and a top-up after it.</summary>
    private async Task<(string RoundId, ProtocolStore Writer, LotteryProtocol Drawn, string DrawnHash, LotteryProtocol First, string FirstHash)> ToppedUpAsync()
    {
        var roundId = $"round-{Guid.NewGuid():N}"[..18];
        var writer = new ProtocolStore(api.Storage());
        var drawn = Drawn(roundId);
        var drawnHash = await writer.WriteOnceAsync(roundId, drawn, Ct);
        var first = drawn.Moved(new CutoffChange(At.AddDays(10), "top-up", "ESF reserve", "ministry", null, 120_000_00, [], []));
        return (roundId, writer, drawn, drawnHash, first, await writer.WriteChangeAsync(roundId, drawnHash, first, Ct));
    }

    [Fact]
    public async Task EveryVersionReadsAsItsWriterLeftItWhateverTheReaderReadBefore()
    {
        var (roundId, writer, drawn, drawnHash, first, firstHash) = await ToppedUpAsync();
        var second = first.Moved(new CutoffChange(At.AddDays(20), "withdrawal", "Project cancelled", "applicant", null, 0, [drawn.Selected[0]], []));
        var secondHash = await writer.WriteChangeAsync(roundId, firstHash, second, Ct);

        // The second version is a document that extends the draw's protocol itself and lists both changes.
        var document = CutoffDocument.FromJson((await writer.ReadJsonAsync(roundId, secondHash, Ct))!);
        Assert.Equal(drawnHash, document.Extends);
        Assert.Equal(2, document.CutoffHistory.Count);
        Assert.NotEmpty(first.CutoffHistory[0].NewlySelected);

        // A fresh instance reading the newest version at once replays both changes on the draw's protocol; one that read
        // the earlier version first replays only the change after it. Both see what the writer left.
        var atOnce = await new ProtocolStore(api.Storage()).ReadAsync(roundId, secondHash, Ct);
        var stepByStep = new ProtocolStore(api.Storage());
        Assert.Equal(first.ToJson(), (await stepByStep.ReadAsync(roundId, firstHash, Ct)).ToJson());
        var afterFirst = await stepByStep.ReadAsync(roundId, secondHash, Ct);
        Assert.Equal(second.ToJson(), atOnce.ToJson());
        Assert.Equal(second.ToJson(), afterFirst.ToJson());
        Assert.Equal(second.ToJson(), (await writer.ReadAsync(roundId, secondHash, Ct)).ToJson());
        Assert.Equal(drawn.ToJson(), (await new ProtocolStore(api.Storage()).ReadAsync(roundId, drawnHash, Ct)).ToJson());
    }

    [Fact]
    public async Task ADocumentThatExtendsAnotherDocumentIsRefused()
    {
        var (roundId, _, _, _, first, firstHash) = await ToppedUpAsync();
        var chained = new CutoffDocument(CutoffDocument.CurrentSchemaVersion, roundId, firstHash, first.Moved(new CutoffChange(At.AddDays(20), "top-up", "More", "ministry", null, 50_000_00, [], [])).CutoffHistory.Skip(1).ToList());
        var utf8 = chained.ToUtf8Json();
        var chainedHash = ProtocolStore.HashOf(utf8);
        var container = await api.Storage().ContainerAsync(Grants.Functions.Platform.Storage.ContainerNames.Protocols, Ct);
        await container.GetBlobClient($"{roundId}/{chainedHash}.json").UploadAsync(BinaryData.FromBytes(utf8), Ct);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => new ProtocolStore(api.Storage()).ReadAsync(roundId, chainedHash, Ct));

        Assert.Contains("extends another cut-off document", refused.Message, StringComparison.Ordinal);
    }
}
