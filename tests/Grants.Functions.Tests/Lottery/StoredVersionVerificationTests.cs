using System.Security.Cryptography;
using System.Text;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Functions.Lottery;

namespace Grants.Functions.Tests.Lottery;

/// <summary>
/// How <c>GET …/lottery/verify</c> reads the round's current version from storage (<see cref="VerifyLotteryHandler.ReadStoredAsync"/>):
/// as an outside verifier would, so that whatever is stored that does not hash, read strictly or replay is a mismatch the
/// route reports, never a server error. Storage here is a dictionary of what is stored under each hash; the route over
/// real storage is covered by the lottery tests.
/// </summary>
public sealed class StoredVersionVerificationTests
{
    private const string RoundId = "round-0123456789ab";
    private static readonly DateTimeOffset At = new(2011, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static LotteryProtocol Drawn() => LotteryProtocol.Draw(RoundId,
        Enumerable.Range(1, 20).Select(i => new DrawEntry($"P-{i:D4}", "all", (40 + (i * 7 % 60)) * 1_000_00L)),
        [RandomNumberGenerator.GetBytes(32)], new ProtocolDesign("skip", 500_000_00, null), 100, At, new string('a', 64));

    private static CutoffChange TopUp => new(At.AddDays(10), "top-up", "ESF reserve", "ministry", null, 120_000_00, [], []);

    /// <summary>A budget change may name only a stratum the pool has.</summary>
    [Fact]
    public void AChangeNamingAStratumThePoolHasNotIsRefused()
    {
        var drawn = Drawn();

        var refused = Assert.Throws<DomainRuleException>(() => drawn.CheckStratum("nowhere"));
        Assert.Contains("'nowhere' is not a stratum of this round's pool", refused.Message, StringComparison.Ordinal);
        drawn.CheckStratum(null);
        drawn.CheckStratum(drawn.Order[0].Stratum);
    }

    private static (string Hash, string Json) Stored(byte[] utf8) => (Sha256Hex.Of(utf8), Encoding.UTF8.GetString(utf8));

    private static Task<ReplayedProtocol> ReadAsync(string hash, params (string Hash, string Json)[] stored)
    {
        var blobs = stored.ToDictionary(s => s.Hash, s => s.Json);
        return VerifyLotteryHandler.ReadStoredAsync(RoundId, hash, h => Task.FromResult(blobs.GetValueOrDefault(h)));
    }

    [Fact]
    public async Task ACutoffDocumentIsReadAsTheProtocolItsChangesLeave()
    {
        var drawn = Drawn();
        var protocol = Stored(drawn.ToUtf8Json());
        var moved = drawn.Moved(TopUp);
        var document = Stored(new CutoffDocument(1, RoundId, protocol.Hash, moved.CutoffHistory).ToUtf8Json());

        var read = await ReadAsync(document.Hash, protocol, document);

        Assert.Null(read.Mismatch);
        Assert.Equal(moved.ToJson(), read.Protocol!.ToJson());
        Assert.Equal(drawn.ToJson(), (await ReadAsync(protocol.Hash, protocol)).Protocol!.ToJson());
    }

    /// <summary>
    /// A document extending another cut-off document is never written by the product (the store refuses to read one), but
    /// stored bytes are what a verifier is given: reading them as a protocol fails strictly, and that is the mismatch.
    /// </summary>
    [Fact]
    public async Task ADocumentThatExtendsAnotherCutoffDocumentDoesNotVerify()
    {
        var drawn = Drawn();
        var protocol = Stored(drawn.ToUtf8Json());
        var first = drawn.Moved(TopUp);
        var inner = Stored(new CutoffDocument(1, RoundId, protocol.Hash, first.CutoffHistory).ToUtf8Json());
        var outer = Stored(new CutoffDocument(1, RoundId, inner.Hash, first.Moved(new CutoffChange(At.AddDays(20), "withdrawal", "Project cancelled", "applicant", null, 0, [drawn.Selected[0]], [])).CutoffHistory).ToUtf8Json());

        var read = await ReadAsync(outer.Hash, protocol, inner, outer);

        Assert.Null(read.Protocol);
        Assert.StartsWith($"extends: what is stored under {inner.Hash} is not a lottery protocol", read.Mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatDoesNotHashReadOrReplayIsAMismatchNamedWhereItStands()
    {
        var drawn = Drawn();
        var protocol = Stored(drawn.ToUtf8Json());
        var moved = drawn.Moved(TopUp);
        var document = new CutoffDocument(1, RoundId, protocol.Hash, moved.CutoffHistory);
        var stored = Stored(document.ToUtf8Json());

        // Stored bytes that are not the ones the round recorded.
        var swapped = await ReadAsync(stored.Hash, (stored.Hash, stored.Json + "\n"), protocol);
        Assert.StartsWith("the stored protocol's hash", swapped.Mismatch, StringComparison.Ordinal);

        // A protocol under its own hash that is not written as published (a name in another case).
        var loose = Stored(Encoding.UTF8.GetBytes(protocol.Json.Replace("\"selected\"", "\"Selected\"", StringComparison.Ordinal)));
        Assert.StartsWith($"the stored document {loose.Hash} cannot be read", (await ReadAsync(loose.Hash, loose)).Mismatch, StringComparison.Ordinal);

        // A document whose protocol is not stored.
        Assert.StartsWith($"extends: the protocol {protocol.Hash} the cut-off document extends is not stored", (await ReadAsync(stored.Hash, stored)).Mismatch, StringComparison.Ordinal);

        // A document whose hash is not of a protocol's form: refused before it names a blob.
        var upper = Stored((document with { Extends = protocol.Hash.ToUpperInvariant() }).ToUtf8Json());
        Assert.StartsWith("extends: must be a protocol's hash", (await ReadAsync(upper.Hash, upper, protocol)).Mismatch, StringComparison.Ordinal);

        // A change that does not replay on the protocol it names.
        var tampered = Stored((document with { CutoffHistory = [moved.CutoffHistory[0] with { NewlySelected = [.. moved.CutoffHistory[0].NewlySelected.Skip(1)] }] }).ToUtf8Json());
        Assert.StartsWith("cutoffHistory[0].newlySelected", (await ReadAsync(tampered.Hash, tampered, protocol)).Mismatch, StringComparison.Ordinal);
    }
}
