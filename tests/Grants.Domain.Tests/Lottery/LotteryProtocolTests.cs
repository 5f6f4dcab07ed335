using System.Text.Json.Nodes;
using Grants.Domain.Lottery;
using Grants.Tests;

namespace Grants.Domain.Tests.Lottery;

public sealed class LotteryProtocolTests
{
    private static readonly byte[] Ministry = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] Notary = [.. Enumerable.Repeat((byte)0xA5, 32)];

    /// <summary>The ESF-E 2008 shape at small scale: 14 requests for a budget that funds about half.</summary>
    private static LotteryProtocol Esf2008()
    {
        long[] amounts = [120_000_00, 95_000_00, 110_000_00, 60_000_00, 80_000_00, 120_000_00, 45_000_00, 100_000_00, 90_000_00, 75_000_00, 115_000_00, 50_000_00, 105_000_00, 99_000_00];
        var pool = amounts.Select((a, i) => new DrawEntry($"P-{i + 1:D4}", "all", a));
        return LotteryProtocol.Draw("round-2008", pool, [Ministry, Notary], new ProtocolDesign("skip", 700_000_00, null), 2_000, new DateTimeOffset(2008, 6, 2, 10, 0, 0, TimeSpan.FromHours(2)), Builders.PlanHash);
    }

    [Fact]
    public void FreshProtocolVerifies()
    {
        var protocol = Esf2008();
        Assert.True(protocol.DrawNeeded);
        Assert.Equal(14, protocol.Order.Count);
        Assert.Equal(14, protocol.Selected.Count + protocol.Reserve.Count);
        Assert.True(protocol.Selected.Sum(id => protocol.Pool.Single(p => p.Id == id).Amount) <= 700_000_00);
        Assert.Equal(ProtocolVerification.Ok, LotteryVerifier.Verify(protocol));
    }

    [Fact]
    public void ProtocolSurvivesItsJsonAndStillVerifies()
    {
        var json = Esf2008().ToJson();
        Assert.Equal(ProtocolVerification.Ok, LotteryVerifier.Verify(LotteryProtocol.FromJson(json)));
        Assert.Contains("\"poolHash\"", json);
        Assert.Contains("\"cutoffHistory\": []", json);
    }

    public static TheoryData<string, string, string> Tampering => new()
    {
        { "an amount in the pool", "pool[3].amount", "poolHash" },
        { "an id in the pool", "pool[0].id", "pool" },
        { "a seed", "seeds[1]", "seeds[1]" },
        { "a commitment", "commitments[0]", "seeds[0]" },
        { "the draw key", "drawKey", "drawKey" },
        { "a score", "order[2].score", "order[2]" },
        { "a rank", "order[5].rank", "order[5]" },
        { "the budget (halved)", "design.budget", "selected" },
        { "a probability", "probabilities[4].p", "probabilities[4]" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void EditingAnyInputOrResultFailsVerificationAtThatPoint(string what, string path, string reportedAt)
    {
        var json = JsonNode.Parse(Esf2008().ToJson())!;
        Edit(json, path);

        var result = LotteryVerifier.Verify(LotteryProtocol.FromJson(json.ToJsonString()));

        Assert.False(result.Verified, $"editing {what} went unnoticed");
        Assert.StartsWith(reportedAt, result.FirstMismatch);
    }

    [Fact]
    public void SwappingTwoEntriesOfTheOrderFailsVerification()
    {
        var protocol = Esf2008();
        var order = protocol.Order.ToList();
        (order[0], order[1]) = (order[1] with { Rank = 1 }, order[0] with { Rank = 2 });
        Assert.StartsWith("order[0]", LotteryVerifier.Verify(protocol with { Order = order }).FirstMismatch);
    }

    [Fact]
    public void MovingSomeoneFromReserveToSelectedFailsVerification()
    {
        var protocol = Esf2008();
        var result = LotteryVerifier.Verify(protocol with { Selected = [.. protocol.Selected, protocol.Reserve[0]], Reserve = [.. protocol.Reserve.Skip(1)] });
        Assert.StartsWith("selected", result.FirstMismatch);
    }

    [Fact]
    public void PoolThatFitsTheBudgetNeedsNoDraw()
    {
        var protocol = LotteryProtocol.Draw("round-2011", [new DrawEntry("P-1", "all", 10), new DrawEntry("P-2", "all", 20)], [Ministry], new ProtocolDesign("stop", 100, null), 1_000, DateTimeOffset.UnixEpoch, Builders.PlanHash);
        Assert.False(protocol.DrawNeeded);
        Assert.Equal(["P-1", "P-2"], protocol.Selected.Order());
        Assert.Empty(protocol.Reserve);
        Assert.All(protocol.Probabilities, p => Assert.Equal(1.0, p.P));
        Assert.True(LotteryVerifier.Verify(protocol).Verified);
    }

    public static TheoryData<string, string> ReadDifferentlyByDifferentReaders => new()
    {
        { "a name in another casing", "\"poolHash\"" },
        { "a name given twice", "\"drawKey\"" },
        { "an unknown name", "\"simulations\"" },
        { "a required name missing", "\"probabilities\"" },
        { "null where a list belongs", "\"cutoffHistory\"" },
        { "a number as a string", "\"simulations\"" },
    };

    /// <summary>The protocol reader never picks one of two readings: case-insensitive or last-wins reading would let a tampered copy hide.</summary>
    [Theory]
    [MemberData(nameof(ReadDifferentlyByDifferentReaders))]
    public void ReadingRefusesADocumentThatReadersCouldSeeDifferently(string what, string at)
    {
        var json = Esf2008().ToJson();
        var edited = what switch
        {
            "a name in another casing" => json.Replace(at, "\"PoolHash\"", StringComparison.Ordinal),
            "a name given twice" => json.Replace(at + ":", $"{at}: \"{new string('0', 64)}\", {at}:", StringComparison.Ordinal),
            "an unknown name" => json.Replace(at + ":", "\"comment\": \"x\", " + at + ":", StringComparison.Ordinal),
            "a required name missing" => RemoveProperty(json, "probabilities"),
            "null where a list belongs" => SetProperty(json, "cutoffHistory", null),
            _ => SetProperty(json, "simulations", JsonValue.Create("2000")),
        };

        Assert.NotEqual(json, edited);
        Assert.Throws<System.Text.Json.JsonException>(() => LotteryProtocol.FromJson(edited));
    }

    [Fact]
    public void APoolIdTwiceOrAStratumWithTwoBudgetsMakesTheProtocolUncheckable()
    {
        var protocol = Esf2008();
        var twiceInPool = protocol with { Pool = [.. protocol.Pool, protocol.Pool[0]] };
        var twoBudgets = protocol with { Design = new ProtocolDesign("skip", null, [new StratumBudget("all", 1), new StratumBudget("all", 700_000_00)]) };

        Assert.Equal(["pool: id P-0001 appears 2 times; every pool id must be unique"], twiceInPool.Problems());
        Assert.True(LotteryVerifier.Verify(twiceInPool).Invalid);
        Assert.Equal(["design.strata: stratum all has 2 budgets; a stratum has exactly one"], twoBudgets.Problems());
        Assert.True(LotteryVerifier.Verify(twoBudgets).Invalid);
        Assert.Empty(protocol.Problems());
    }

    [Fact]
    public void ANewProtocolCarriesTheCommittedPlansHashWhichDoesNotEnterTheDraw()
    {
        var protocol = Esf2008();
        var otherPlan = protocol with { AnalysisPlanHash = new string('0', 64) };

        Assert.Equal((LotteryProtocol.CurrentSchemaVersion, Builders.PlanHash), (protocol.SchemaVersion, protocol.AnalysisPlanHash));
        Assert.Contains($"\"analysisPlanHash\": \"{Builders.PlanHash}\"", protocol.ToJson(), StringComparison.Ordinal);
        Assert.True(LotteryVerifier.Verify(otherPlan).Verified); // only the announcements tell which plan was committed
    }

    /// <summary>Protocols published before the plan was committed stay readable and verifiable as they are.</summary>
    [Fact]
    public void AVersionOneProtocolWithoutAPlanHashStillReadsAndVerifies()
    {
        var json = JsonNode.Parse(Esf2008().ToJson())!.AsObject();
        json["schemaVersion"] = 1;
        json.Remove("analysisPlanHash");

        var protocol = LotteryProtocol.FromJson(json.ToJsonString());

        Assert.Null(protocol.AnalysisPlanHash);
        Assert.Empty(protocol.Problems());
        Assert.Equal(ProtocolVerification.Ok, LotteryVerifier.Verify(protocol));
        Assert.DoesNotContain("analysisPlanHash", protocol.ToJson(), StringComparison.Ordinal); // written back as it was
    }

    [Fact]
    public void AVersionTwoProtocolWithoutItsPlanHashOrAVersionOneWithOneCannotBeChecked()
    {
        var protocol = Esf2008();

        var withoutHash = LotteryVerifier.Verify(protocol with { AnalysisPlanHash = null });
        var versionOneWithHash = LotteryVerifier.Verify(protocol with { SchemaVersion = 1 });
        var lotteryAsVersionThree = LotteryVerifier.Verify(protocol with { SchemaVersion = 3 });
        var unknownVersion = LotteryVerifier.Verify(protocol with { SchemaVersion = 4 });

        Assert.True(withoutHash.Invalid);
        Assert.StartsWith("analysisPlanHash: a schemaVersion 2 protocol carries", withoutHash.FirstMismatch);
        Assert.True(versionOneWithHash.Invalid);
        Assert.True(lotteryAsVersionThree.Invalid);
        Assert.StartsWith("design.method: a schemaVersion 3 protocol names its method", lotteryAsVersionThree.FirstMismatch);
        Assert.Equal("schemaVersion 4 is not one of 1, 2, 3", unknownVersion.FirstMismatch);
    }

    private static string RemoveProperty(string json, string name)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        root.Remove(name);
        return root.ToJsonString();
    }

    private static string SetProperty(string json, string name, JsonNode? value)
    {
        var root = JsonNode.Parse(json)!;
        root[name] = value;
        return root.ToJsonString();
    }

    private static void Edit(JsonNode root, string path)
    {
        JsonNode node = root;
        var segments = path.Split('.');
        foreach (var segment in segments[..^1])
        {
            node = Step(node, segment);
        }

        var last = segments[^1];
        var parent = last.Contains('[') ? Step(node, last[..last.IndexOf('[')]) : node;
        var key = last.Contains('[') ? null : last;
        var index = last.Contains('[') ? int.Parse(last[(last.IndexOf('[') + 1)..^1]) : -1;
        var current = key is null ? parent[index]! : parent[key]!;
        JsonNode replacement = path == "design.budget" ? JsonValue.Create(current.GetValue<long>() / 2) : current.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.Number when current.ToJsonString().Contains('.') => JsonValue.Create(current.GetValue<double>() + 0.001),
            System.Text.Json.JsonValueKind.Number => JsonValue.Create(current.GetValue<long>() + 1),
            _ => JsonValue.Create(Flip(current.GetValue<string>())),
        };
        if (key is null)
        {
            parent[index] = replacement;
        }
        else
        {
            parent[key] = replacement;
        }
    }

    private static JsonNode Step(JsonNode node, string segment) =>
        segment.Contains('[')
            ? node[segment[..segment.IndexOf('[')]]![int.Parse(segment[(segment.IndexOf('[') + 1)..^1])]!
            : node[segment]!;

    /// <summary>Changes one character, keeping hex hex and ids valid.</summary>
    private static string Flip(string value) => value[..^1] + (value[^1] == '0' ? '1' : '0');
}

/// <summary>The published schema in contracts/ describes the documents we actually write.</summary>
public sealed class LotteryProtocolSchemaTests
{
    /// <summary>Loaded once: the schema library registers a schema under its $id and refuses a second registration.</summary>
    private static readonly Json.Schema.JsonSchema Schema =
        Json.Schema.JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "contracts", "schemas", "lottery-protocol.schema.json")));

    [Fact]
    public void ProtocolDocumentsValidateAgainstThePublishedSchema()
    {
        var schema = Schema;
        var seed = new byte[32];
        var unstratified = LotteryProtocol.Draw("round-x", [new DrawEntry("P-1", "all", 60), new DrawEntry("P-2", "all", 50), new DrawEntry("P-3", "all", 40)], [seed], new ProtocolDesign("skip", 100, null), 100, DateTimeOffset.UnixEpoch, Builders.PlanHash);
        var stratified = LotteryProtocol.Draw("round-y", [new DrawEntry("P-1", "care", 60), new DrawEntry("P-2", "industry", 50)], [seed, seed], new ProtocolDesign("stop", null, [new StratumBudget("care", 50), new StratumBudget("industry", 50)]), 100, DateTimeOffset.UnixEpoch, Builders.PlanHash);

        var versionOne = JsonNode.Parse(unstratified.ToJson())!.AsObject();
        versionOne["schemaVersion"] = 1;
        versionOne.Remove("analysisPlanHash");

        var methods = new[] { Allocation.AllocationProtocolTests.FirstComeFirstServed(), Allocation.AllocationProtocolTests.RankedTender(), Allocation.AllocationProtocolTests.PartialRandomisation(), Allocation.AllocationProtocolTests.ProRata() };

        foreach (var json in new[] { unstratified.ToJson(), stratified.ToJson(), versionOne.ToJsonString() }.Concat(methods.Select(m => m.ToJson())))
        {
            var result = schema.Evaluate(System.Text.Json.JsonDocument.Parse(json).RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
            Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        }
    }

    [Fact]
    public void TheSchemaRequiresThePlanHashFromVersionTwoAndAMethodsPrioritiesInVersionThreeOnly()
    {
        var schema = Schema;
        var protocol = LotteryProtocol.Draw("round-x", [new DrawEntry("P-1", "all", 60), new DrawEntry("P-2", "all", 50)], [new byte[32]], new ProtocolDesign("skip", 100, null), 100, DateTimeOffset.UnixEpoch, Builders.PlanHash);
        var withoutHash = JsonNode.Parse(protocol.ToJson())!.AsObject();
        withoutHash.Remove("analysisPlanHash");
        var versionOneWithHash = JsonNode.Parse(protocol.ToJson())!.AsObject();
        versionOneWithHash["schemaVersion"] = 1;

        var method = JsonNode.Parse(Allocation.AllocationProtocolTests.FirstComeFirstServed().ToJson())!.AsObject();
        var methodAsVersionTwo = method.DeepClone().AsObject();
        methodAsVersionTwo["schemaVersion"] = 2;
        var versionThreeWithoutPriorities = method.DeepClone().AsObject();
        versionThreeWithoutPriorities.Remove("priorities");
        var proRata = JsonNode.Parse(Allocation.AllocationProtocolTests.ProRata().ToJson())!.AsObject();
        var proRataWithoutShares = proRata.DeepClone().AsObject();
        proRataWithoutShares.Remove("shares");
        var proRataWithASeed = proRata.DeepClone().AsObject();
        proRataWithASeed["seeds"] = new JsonArray(new string('0', 64));
        proRataWithASeed["commitments"] = new JsonArray(new string('0', 64));
        var sharesUnderATender = method.DeepClone().AsObject();
        sharesUnderATender["shares"] = proRata["shares"]!.DeepClone();

        foreach (var json in new[] { withoutHash, versionOneWithHash, methodAsVersionTwo, versionThreeWithoutPriorities, proRataWithoutShares, proRataWithASeed, sharesUnderATender })
        {
            Assert.False(schema.Evaluate(System.Text.Json.JsonDocument.Parse(json.ToJsonString()).RootElement).IsValid, json.ToJsonString());
        }
    }
}
