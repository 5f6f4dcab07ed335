using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grants.Domain.Lottery;
using Grants.Tests;

namespace Grants.Domain.Tests.Lottery;

/// <summary>
/// The cut-off changes after a draw, published as a document of their own that extends the draw's protocol
/// (docs/decisions/0023): replayed on that protocol they give the protocol as the changes left it, and a change that does
/// not replay, or a document not written as published, is refused.
/// </summary>
public sealed class CutoffDocumentTests
{
    private static readonly DateTimeOffset At = new(2011, 3, 1, 9, 0, 0, TimeSpan.FromHours(1));

    /// <summary>Twelve requests of 60 to 115 thousand euros for a budget that funds about half.</summary>
    private static LotteryProtocol Drawn()
    {
        var pool = Enumerable.Range(1, 12).Select(i => new DrawEntry($"P-{i:D4}", "all", (55_000_00 + (i * 5_000_00))));
        return LotteryProtocol.Draw("round-2011", pool, [RandomNumberGenerator.GetBytes(32)], new ProtocolDesign("skip", 500_000_00, null), 200, At, Builders.PlanHash);
    }

    private static CutoffChange TopUp(long cents) => new(At.AddDays(30), "top-up", "ESF reserve", "ministry", null, cents, [], []);

    private static CutoffChange Release(string poolId) => new(At.AddDays(40), "withdrawal", "Project cancelled", "applicant", null, 0, [poolId], []);

    private static string Hash(byte[] utf8) => Convert.ToHexStringLower(SHA256.HashData(utf8));

    [Fact]
    public void ReplayedOnTheDrawsProtocolTheChangesGiveTheProtocolTheyLeft()
    {
        var drawn = Drawn();
        var moved = drawn.Moved(TopUp(150_000_00)).Moved(Release(drawn.Selected[0]));
        var document = new CutoffDocument(CutoffDocument.CurrentSchemaVersion, drawn.RoundId, Hash(drawn.ToUtf8Json()), moved.CutoffHistory);

        var read = CutoffDocument.FromJson(document.ToUtf8Json()).Apply(LotteryProtocol.FromJson(drawn.ToUtf8Json()));

        Assert.Equal(moved.Selected, read.Selected);
        Assert.Equal(moved.Reserve, read.Reserve);
        Assert.Equal(moved.ToJson(), read.ToJson());
        Assert.NotEmpty(moved.CutoffHistory[0].NewlySelected);
        Assert.Equal(ProtocolVerification.Ok, LotteryVerifier.Verify(read));
    }

    [Fact]
    public void ALaterVersionReplaysFromAnEarlierOneAsFromTheDraw()
    {
        var drawn = Drawn();
        var first = drawn.Moved(TopUp(60_000_00));
        var second = first.Moved(Release(drawn.Selected[1]));
        var document = new CutoffDocument(CutoffDocument.CurrentSchemaVersion, drawn.RoundId, Hash(drawn.ToUtf8Json()), second.CutoffHistory);

        Assert.Equal(document.Apply(drawn).ToJson(), document.Apply(first, applied: 1).ToJson());
    }

    [Fact]
    public void ItsSizeGrowsWithTheChangesNotWithThePool()
    {
        var pool = Enumerable.Range(1, 5_000).Select(i => new DrawEntry($"P-{i:D6}", "all", 5_000_00));
        var national = LotteryProtocol.Draw("round-rush", pool, [RandomNumberGenerator.GetBytes(32)], new ProtocolDesign("skip", 1_000 * 5_000_00L, null), 10, At, Builders.PlanHash);
        var moved = national.Moved(Release(national.Selected[0]));

        var document = new CutoffDocument(CutoffDocument.CurrentSchemaVersion, national.RoundId, Hash(national.ToUtf8Json()), moved.CutoffHistory).ToUtf8Json();

        Assert.True(document.Length < 1_000, $"{document.Length} bytes for one release in a pool of 5,000");
        Assert.True(national.ToUtf8Json().Length > 1_000_000);
    }

    public static TheoryData<string, Func<CutoffChange, CutoffChange>, string> Tampering => new()
    {
        { "one more newly selected", c => c with { NewlySelected = [.. c.NewlySelected, "P-0012"] }, "cutoffHistory[0].newlySelected" },
        { "one newly selected fewer", c => c with { NewlySelected = [.. c.NewlySelected.Skip(1)] }, "cutoffHistory[0].newlySelected" },
        { "a budget change other than the one that selected them", c => c with { BudgetChange = c.BudgetChange * 3 }, "cutoffHistory[0].newlySelected" },
        { "a release of one never in the pool", c => c with { Released = ["P-9999"] }, "cutoffHistory[0]" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void AChangeThatDoesNotReplayIsRefusedWhereItStands(string what, Func<CutoffChange, CutoffChange> edit, string reportedAt)
    {
        var drawn = Drawn();
        var moved = drawn.Moved(TopUp(150_000_00));
        var document = new CutoffDocument(CutoffDocument.CurrentSchemaVersion, drawn.RoundId, Hash(drawn.ToUtf8Json()), [edit(moved.CutoffHistory[0])]);

        var refused = Assert.Throws<InvalidDataException>(() => document.Apply(drawn));

        Assert.StartsWith(reportedAt, refused.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void ADocumentOfAnotherRoundOrWithoutChangesIsRefused()
    {
        var drawn = Drawn();
        var history = drawn.Moved(TopUp(60_000_00)).CutoffHistory;
        var hash = Hash(drawn.ToUtf8Json());

        Assert.StartsWith("roundId", Assert.Throws<InvalidDataException>(() => new CutoffDocument(1, "round-other", hash, history).Apply(drawn)).Message, StringComparison.Ordinal);
        Assert.StartsWith("cutoffHistory", Assert.Throws<InvalidDataException>(() => new CutoffDocument(1, drawn.RoundId, hash, []).Apply(drawn)).Message, StringComparison.Ordinal);
        Assert.StartsWith("extends", Assert.Throws<InvalidDataException>(() => new CutoffDocument(1, drawn.RoundId, hash.ToUpperInvariant(), history).Apply(drawn)).Message, StringComparison.Ordinal);
        Assert.StartsWith("schemaVersion", Assert.Throws<InvalidDataException>(() => new CutoffDocument(2, drawn.RoundId, hash, history).Apply(drawn)).Message, StringComparison.Ordinal);
    }

    /// <summary>A verifier holds the bytes of what a document extends: they are checked against its hash before they are read.</summary>
    [Fact]
    public void ReplayedOnBytesItIsTheProtocolTheyLeaveOnlyWhenTheyAreTheOnesItExtends()
    {
        var drawn = Drawn();
        var moved = drawn.Moved(TopUp(150_000_00));
        var bytes = drawn.ToUtf8Json();
        var document = new CutoffDocument(1, drawn.RoundId, Hash(bytes), moved.CutoffHistory);
        var reads = 0;
        LotteryProtocol Read(string json)
        {
            reads++;
            return LotteryProtocol.FromJson(json);
        }

        var replayed = document.ReplayOn(bytes, "draw.json", Read);
        Assert.Null(replayed.Mismatch);
        Assert.Equal(moved.ToJson(), replayed.Protocol!.ToJson());

        // One byte more (a trailing newline) is another protocol: refused by its hash, never read.
        var other = document.ReplayOn([.. bytes, (byte)'\n'], "draw.json", Read);
        Assert.Null(other.Protocol);
        Assert.Equal($"extends: the cut-off document extends the protocol {document.Extends}; draw.json is {Hash([.. bytes, (byte)'\n'])}", other.Mismatch);
        Assert.Equal(1, reads);

        // The right bytes with a change that does not replay on them: the change's own first difference.
        var tampered = document with { CutoffHistory = [moved.CutoffHistory[0] with { NewlySelected = [.. moved.CutoffHistory[0].NewlySelected.Skip(1)] }] };
        Assert.StartsWith("cutoffHistory[0].newlySelected", tampered.ReplayOn(bytes, "draw.json", Read).Mismatch, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<string, string>> Unreadable => new()
    {
        { "a name in another case", json => json.Replace("\"extends\"", "\"Extends\"", StringComparison.Ordinal) },
        { "a name given twice", json => json.Replace("\"roundId\": \"round-2011\"", "\"roundId\": \"round-2011\", \"roundId\": \"round-other\"", StringComparison.Ordinal) },
        { "an unknown name", json => json.Replace("\"roundId\"", "\"note\": \"x\", \"roundId\"", StringComparison.Ordinal) },
        { "a missing value", json => Without(json, "cutoffHistory") },
        { "a null for the hash", json => Nulled(json, "extends") },
        { "a number as a string", json => json.Replace("\"schemaVersion\": 1", "\"schemaVersion\": \"1\"", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void ADocumentNotWrittenAsPublishedIsUnreadable(string what, Func<string, string> edit)
    {
        var drawn = Drawn();
        var json = Encoding.UTF8.GetString(new CutoffDocument(1, drawn.RoundId, Hash(drawn.ToUtf8Json()), drawn.Moved(TopUp(60_000_00)).CutoffHistory).ToUtf8Json());
        var edited = edit(json);

        Assert.NotEqual(json, edited);
        Assert.Throws<JsonException>(() => CutoffDocument.FromJson(edited));
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void ACutoffDocumentIsToldFromAProtocolByItsTopLevelAlone()
    {
        var drawn = Drawn();
        var document = new CutoffDocument(1, drawn.RoundId, Hash(drawn.ToUtf8Json()), drawn.Moved(TopUp(60_000_00)).CutoffHistory);

        Assert.True(CutoffDocument.IsOne(document.ToUtf8Json()));
        Assert.False(CutoffDocument.IsOne(drawn.ToUtf8Json()));
        Assert.False(CutoffDocument.IsOne(drawn.Moved(TopUp(60_000_00)).ToUtf8Json()));
        Assert.False(CutoffDocument.IsOne("{\"pool\": {\"extends\": 1}}"u8));
        Assert.False(CutoffDocument.IsOne("not JSON"u8));
        Assert.False(CutoffDocument.IsOne([]));
    }

    [Fact]
    public void DocumentsValidateAgainstThePublishedSchema()
    {
        var schema = Json.Schema.JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "contracts", "schemas", "lottery-cutoffs.schema.json")));
        var drawn = Drawn();
        var document = new CutoffDocument(1, drawn.RoundId, Hash(drawn.ToUtf8Json()), drawn.Moved(TopUp(150_000_00)).Moved(Release(drawn.Selected[0])).CutoffHistory);
        var options = new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List };

        Assert.True(schema.Evaluate(JsonDocument.Parse(document.ToUtf8Json()).RootElement, options).IsValid);
        Assert.False(schema.Evaluate(JsonDocument.Parse(drawn.ToUtf8Json()).RootElement, options).IsValid);
        var empty = JsonNode.Parse(document.ToUtf8Json())!;
        empty["cutoffHistory"] = new JsonArray();
        Assert.False(schema.Evaluate(JsonDocument.Parse(empty.ToJsonString()).RootElement, options).IsValid);
    }

    private static string Without(string json, string name)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove(name);
        return node.ToJsonString();
    }

    private static string Nulled(string json, string name)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node[name] = null;
        return node.ToJsonString();
    }
}
