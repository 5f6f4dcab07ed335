using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grants.Cli.Commands;
using Grants.Domain.Lottery;
using Grants.Evaluation.Dataset;

namespace Grants.Functions.Tests.Lottery;

/// <summary>
/// <c>grants lottery verify</c> as an outside auditor relies on it: a file that any case-sensitive
/// reader sees differently from the verifier is never "verified"; a file that cannot be read is exit 2,
/// a draw that does not recompute or differs from what was announced before it is exit 1, and neither
/// ever prints a stack trace.
/// </summary>
public sealed partial class LotteryVerifyCommandTests : IDisposable
{
    private static readonly byte[] Ministry = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] Notary = [.. Enumerable.Repeat((byte)0x5A, 32)];
    private static readonly DateTimeOffset OpenedAt = new(2008, 4, 1, 7, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CommittedAt = new(2008, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FrozenAt = new(2008, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DrawnAt = new(2008, 6, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("grants-verify-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The analysis plan the round committed to when it opened: the second wave, two years on.</summary>
    private static readonly EvaluationDesign Plan = new() { PrimaryWave = 2 };

    /// <summary>An ESF-E-like pool of 30 requests for a budget that funds about a third.</summary>
    private static LotteryProtocol Genuine(ProtocolDesign? design = null, IReadOnlyList<byte[]>? seeds = null) =>
        LotteryProtocol.Draw("round-2008", Pool(), seeds ?? [Ministry, Notary], design ?? new ProtocolDesign("skip", 1_000_000_00), 500, DrawnAt, Plan.Hash());

    private static IEnumerable<DrawEntry> Pool() =>
        Enumerable.Range(1, 30).Select(i => new DrawEntry($"P-{i:D4}", i % 3 == 0 ? "care" : "industry", (40 + (i * 7 % 80)) * 1_000_00L));

    private static LotteryAnnouncements Announced(LotteryProtocol protocol) => new(LotteryAnnouncements.CurrentSchemaVersion, protocol.RoundId,
        [new AnnouncedCommitment(1, 0, "ministry", LotteryDraw.Commitment(Ministry), CommittedAt), new AnnouncedCommitment(1, 1, "notary", LotteryDraw.Commitment(Notary), CommittedAt.AddMinutes(5))],
        new AnnouncedPool(protocol.PoolHash, protocol.Pool.Count, protocol.Design, FrozenAt), [],
        new AnnouncedAnalysisPlan(Plan.Hash(), Plan, OpenedAt));

    /// <summary>A protocol as drawn before rounds committed to an analysis plan: schema version 1, no plan hash.</summary>
    private static string VersionOne(LotteryProtocol protocol) => Edit(protocol.ToJson(), root =>
    {
        root["schemaVersion"] = 1;
        root.AsObject().Remove("analysisPlanHash");
    });

    /// <summary>The announcements as written before they held the plan: schema version 1, no analysisPlan.</summary>
    private static string VersionOne(LotteryAnnouncements announcements) => Edit(announcements.ToJson(), root =>
    {
        root["schemaVersion"] = 1;
        root.AsObject().Remove("analysisPlan");
    });

    /// <summary>Edits of a genuine protocol's text that a reader taking the last or a case-insensitive key would not see.</summary>
    public static TheoryData<string, Func<string, string>> UnreadableEdits => new()
    {
        { "tampered 'selected' shadowed by the genuine one as 'Selected'", json => Shadow(json, "selected", "Selected") },
        { "tampered 'selected' shadowed as 'SELECTED'", json => Shadow(json, "selected", "SELECTED") },
        { "tampered 'selected' shadowed as 'sElEcTeD'", json => Shadow(json, "selected", "sElEcTeD") },
        { "tampered 'order' shadowed as 'Order'", json => Shadow(json, "order", "Order") },
        { "tampered 'pool' shadowed as 'Pool'", json => Shadow(json, "pool", "Pool") },
        { "'selected' twice, tampered first and genuine last", json => Twice(json, "selected") },
        { "'seeds' twice, genuine last", json => Twice(json, "seeds") },
        { "'pool' missing", json => Without(json, "pool") },
        { "'pool' null", json => Nulled(json, "pool") },
        { "'cutoffHistory' missing", json => Without(json, "cutoffHistory") },
        { "'cutoffHistory' null", json => Nulled(json, "cutoffHistory") },
        { "'probabilities' missing", json => Without(json, "probabilities") },
        { "'probabilities' null", json => Nulled(json, "probabilities") },
        { "an unknown property", json => Edit(json, root => root["note"] = "trust me") },
        { "'analysisPlanHash' missing from a version 2 protocol", json => Without(json, "analysisPlanHash") },
        { "'analysisPlanHash' in a version 1 protocol", json => Edit(json, root => root["schemaVersion"] = 1) },
        { "'analysisPlanHash' in upper case", json => Edit(json, root => root["analysisPlanHash"] = root["analysisPlanHash"]!.GetValue<string>().ToUpperInvariant()) },
        { "a schema version this reader does not know", json => Edit(json, root => root["schemaVersion"] = 3) },
        { "an amount as a string", json => Edit(json, root => root["pool"]![0]!["amount"] = "4000000") },
        { "a seed in upper case", json => Edit(json, root => root["seeds"]![0] = root["seeds"]![0]!.GetValue<string>().ToUpperInvariant()) },
        { "not JSON at all", _ => "{ \"schemaVersion\": 1, " },
        { "an empty file", _ => "" },
    };

    [Theory]
    [MemberData(nameof(UnreadableEdits))]
    public async Task AFileThatCannotBeReadTheSameWayByEveryReaderIsRefusedWithExitTwo(string edit, Func<string, string> apply)
    {
        var (exit, output) = await VerifyAsync(apply(Genuine().ToJson()));

        Assert.True(exit == LotteryCommand.Unreadable, $"{edit}: exit {exit}\n{output}");
        Assert.StartsWith("cannot verify: ", output, StringComparison.Ordinal);
        NoStackTrace(output);
    }

    /// <summary>Only the failing part of the schema speaks: the design's alternative branches, one of which holds, add nothing.</summary>
    [Fact]
    public async Task AShadowedNameIsTheOneProblemReported()
    {
        var (exit, output) = await VerifyAsync(Shadow(Genuine().ToJson(), "selected", "Selected"));

        Assert.Equal(LotteryCommand.Unreadable, exit);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("  /Selected: is not a property this document may have (names are case-sensitive)", lines[1].TrimEnd('\r'));
    }

    /// <summary>A protocol of schema version 2 without its plan hash: the one problem named, not the version 1 alternative it does not take.</summary>
    [Fact]
    public async Task AMissingPlanHashIsTheOneProblemReported()
    {
        var (exit, output) = await VerifyAsync(Without(Genuine().ToJson(), "analysisPlanHash"));

        Assert.Equal(LotteryCommand.Unreadable, exit);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("analysisPlanHash", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProtocolRebuiltConsistentlyAroundADuplicatedPoolIdIsRefused()
    {
        var pool = Pool().ToList();
        var rebuilt = LotteryProtocol.Draw("round-2008", [.. pool, pool[4] with { Amount = 1_000_00 }], [Ministry, Notary], new ProtocolDesign("skip", 1_000_000_00), 500, DrawnAt, Plan.Hash());

        var (exit, output) = await VerifyAsync(rebuilt.ToJson());

        Assert.Equal(LotteryCommand.Unreadable, exit);
        Assert.Contains("pool: id P-0005 appears 2 times", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStratumWithTwoBudgetsIsRefused()
    {
        var design = new ProtocolDesign("skip", null, [new StratumBudget("care", 300_000_00), new StratumBudget("industry", 500_000_00)]);
        var json = Edit(Genuine(design).ToJson(), root => root["design"]!["strata"]!.AsArray().Add(new JsonObject { ["stratum"] = "care", ["budget"] = 900_000_00 }));

        var (exit, output) = await VerifyAsync(json);

        Assert.Equal(LotteryCommand.Unreadable, exit);
        Assert.Contains("design.strata: stratum care has 2 budgets", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATamperedSelectionNamesTheFirstDifferingIdInOneShortLine()
    {
        var genuine = Genuine();
        var json = Edit(genuine.ToJson(), root =>
        {
            var selected = root["selected"]!.AsArray();
            selected[2] = genuine.Reserve[0];
        });

        var (exit, output) = await VerifyAsync(json);

        Assert.Equal(LotteryCommand.Mismatch, exit);
        Assert.Equal($"mismatch: selected[2]: recomputed {genuine.Selected[2]}, published {genuine.Reserve[0]}", output.Trim());
    }

    [Fact]
    public async Task AGenuineProtocolVerifiesAgainstItsAnnouncementsAndSaysWhatItWasCheckedAgainst()
    {
        var genuine = Genuine();

        var (alone, aloneOutput) = await VerifyAsync(genuine.ToJson());
        var (against, againstOutput) = await VerifyAsync(genuine.ToJson(), announcements: Announced(genuine).ToJson());

        Assert.True((alone, against) == (LotteryCommand.Verified, LotteryCommand.Verified), aloneOutput + againstOutput);
        Assert.Contains("was not checked against what was published before the draw", aloneOutput, StringComparison.Ordinal);
        Assert.Contains("Matches the announcements of round round-2008: draw 1's commitments (ministry at 2008-05-01T09:00:00.0000000+00:00, notary at ", againstOutput, StringComparison.Ordinal);
        Assert.Contains($"It carries the hash of the analysis plan committed at 2008-04-01T07:00:00.0000000+00:00 ({Plan.Hash()}).", againstOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProtocolWhoseAnalysisPlanHashWasAlteredFailsAgainstTheAnnouncedPlan()
    {
        var genuine = Genuine();
        var altered = new EvaluationDesign { PrimaryWave = 1 }.Hash();
        var json = Edit(genuine.ToJson(), root => root["analysisPlanHash"] = altered);

        var (alone, aloneOutput) = await VerifyAsync(json);
        var (against, againstOutput) = await VerifyAsync(json, announcements: Announced(genuine).ToJson());

        // The plan does not enter the draw: the protocol alone still recomputes; only what was announced tells.
        Assert.True(alone == LotteryCommand.Verified, aloneOutput);
        Assert.Equal(LotteryCommand.Mismatch, against);
        Assert.Equal($"mismatch: analysisPlanHash: announced for draw 1 {Plan.Hash()}, the protocol has {altered}", againstOutput.Trim());
    }

    [Fact]
    public async Task AVersionOneProtocolStillVerifiesAndSaysItCarriesNoPlanHash()
    {
        var genuine = Genuine();

        var (againstOld, oldOutput) = await VerifyAsync(VersionOne(genuine), announcements: VersionOne(Announced(genuine)));
        var (againstNew, newOutput) = await VerifyAsync(VersionOne(genuine), announcements: Announced(genuine).ToJson());
        var (givenPlan, givenOutput) = await VerifyAsync(VersionOne(genuine), new VerifyRequest("", PlanHash: Plan.Hash()));

        Assert.True((againstOld, againstNew) == (LotteryCommand.Verified, LotteryCommand.Verified), oldOutput + newOutput);
        Assert.Contains("(schemaVersion 1) was drawn before rounds committed to an analysis plan: it carries no plan hash to check.", oldOutput, StringComparison.Ordinal);
        Assert.Equal(LotteryCommand.Mismatch, givenPlan);
        Assert.StartsWith($"mismatch: analysisPlanHash: expected {Plan.Hash()}, the protocol has none (schemaVersion 1)", givenOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlanHashGivenOnTheCommandLineIsChecked()
    {
        var genuine = Genuine();

        var (right, rightOutput) = await VerifyAsync(genuine.ToJson(), new VerifyRequest("", PlanHash: Plan.Hash()));
        var (wrong, wrongOutput) = await VerifyAsync(genuine.ToJson(), new VerifyRequest("", PlanHash: new string('b', 64)));

        Assert.Equal(LotteryCommand.Verified, right);
        Assert.Contains("Matches the expected analysis plan hash given on the command line.", rightOutput, StringComparison.Ordinal);
        Assert.Equal(LotteryCommand.Mismatch, wrong);
        Assert.StartsWith("mismatch: analysisPlanHash: expected bbbb", wrongOutput, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<LotteryAnnouncements, LotteryAnnouncements>, string> DifferentAnnouncements => new()
    {
        { "a commitment nobody published", a => a with { Commitments = [a.Commitments[0], a.Commitments[1] with { Commitment = LotteryDraw.Commitment(new byte[32]) }] }, "commitments[1]: announced for draw 1 " },
        { "another pool", a => a with { Pool = a.Pool! with { PoolHash = new string('0', 64) } }, "poolHash: announced for draw 1 0000" },
        { "another budget", a => a with { Pool = a.Pool! with { Design = new ProtocolDesign("skip", 2_000_000_00) } }, "design.budget: announced for draw 1 200000000, the protocol has 100000000" },
        { "a commitment posted after the freeze", a => a with { Commitments = [a.Commitments[0], a.Commitments[1] with { At = FrozenAt.AddHours(1) }] }, "commitments[1]: notary's commitment was announced at 2008-06-01T10:00:00.0000000+00:00, after the pool froze" },
        { "a pool announced after the draw", a => a with { Pool = a.Pool! with { At = DrawnAt.AddHours(1) } }, "poolHash: the pool was announced at 2008-06-02T10:00:00.0000000+00:00, after the draw" },
        { "no pool announced", a => a with { Pool = null }, "poolHash: no pool was announced before the draw" },
        { "another round", a => a with { RoundId = "round-2009" }, "roundId: the protocol is for round-2008, the announcements for round-2009" },
        { "another analysis plan", a => a with { AnalysisPlan = new AnnouncedAnalysisPlan(OtherPlan.Hash(), OtherPlan, OpenedAt) }, $"analysisPlanHash: announced for draw 1 {OtherPlan.Hash()}, the protocol has {Plan.Hash()}" },
        { "a plan that does not hash to its announced hash", a => a with { AnalysisPlan = a.AnalysisPlan! with { Plan = OtherPlan } }, $"analysisPlan: the announced plan hashes to {OtherPlan.Hash()}, not to its announced planHash {Plan.Hash()}" },
        { "a plan committed after the draw", a => a with { AnalysisPlan = a.AnalysisPlan! with { CommittedAt = DrawnAt.AddDays(30) } }, "analysisPlanHash: the analysis plan was committed at 2008-07-02T09:00:00.0000000+00:00, after the draw" },
        { "no analysis plan announced", a => a with { AnalysisPlan = null }, "analysisPlanHash: no analysis plan was announced before the draw" },
    };

    /// <summary>Another plan than the one committed: the first wave as primary.</summary>
    private static readonly EvaluationDesign OtherPlan = new() { PrimaryWave = 1 };

    [Theory]
    [MemberData(nameof(DifferentAnnouncements))]
    public async Task AProtocolThatDiffersFromItsAnnouncementsIsAMismatch(string what, Func<LotteryAnnouncements, LotteryAnnouncements> change, string expected)
    {
        var genuine = Genuine();

        var (exit, output) = await VerifyAsync(genuine.ToJson(), announcements: change(Announced(genuine)).ToJson());

        Assert.True(exit == LotteryCommand.Mismatch, $"{what}: exit {exit}\n{output}");
        Assert.StartsWith($"mismatch: {expected}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADrawRebuiltAroundANewSeedVerifiesAloneButNotAgainstThePublishedCommitments()
    {
        var genuine = Genuine();
        var rebuilt = Genuine(seeds: [Ministry, [.. Enumerable.Repeat((byte)0x77, 32)]]);
        var commitments = $"{LotteryDraw.Commitment(Ministry)},{LotteryDraw.Commitment(Notary)}";

        var (alone, _) = await VerifyAsync(rebuilt.ToJson());
        var (announced, announcedOutput) = await VerifyAsync(rebuilt.ToJson(), announcements: Announced(genuine).ToJson());
        var (given, givenOutput) = await VerifyAsync(rebuilt.ToJson(), new VerifyRequest("", Commitments: commitments));

        Assert.Equal(LotteryCommand.Verified, alone);
        Assert.Equal(LotteryCommand.Mismatch, announced);
        Assert.StartsWith($"mismatch: commitments[1]: announced for draw 1 {LotteryDraw.Commitment(Notary)}, the protocol has {rebuilt.Commitments[1]}", announcedOutput, StringComparison.Ordinal);
        Assert.Equal(LotteryCommand.Mismatch, given);
        Assert.StartsWith($"mismatch: commitments[1]: expected {LotteryDraw.Commitment(Notary)}", givenOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolHashAndBudgetsGivenOnTheCommandLineAreChecked()
    {
        var genuine = Genuine(new ProtocolDesign("stop", null, [new StratumBudget("care", 300_000_00), new StratumBudget("industry", 500_000_00)]));

        var (right, _) = await VerifyAsync(genuine.ToJson(), new VerifyRequest("", PoolHash: genuine.PoolHash, Budgets: ["care=30000000", "industry=50000000"]));
        var (wrongHash, hashOutput) = await VerifyAsync(genuine.ToJson(), new VerifyRequest("", PoolHash: new string('a', 64)));
        var (wrongBudget, budgetOutput) = await VerifyAsync(genuine.ToJson(), new VerifyRequest("", Budgets: ["care=30000000", "industry=60000000"]));
        var (missingStratum, missingOutput) = await VerifyAsync(genuine.ToJson(), new VerifyRequest("", Budgets: ["care=30000000"]));

        Assert.Equal(LotteryCommand.Verified, right);
        Assert.Equal((LotteryCommand.Mismatch, LotteryCommand.Mismatch, LotteryCommand.Mismatch), (wrongHash, wrongBudget, missingStratum));
        Assert.StartsWith("mismatch: poolHash: expected aaaa", hashOutput, StringComparison.Ordinal);
        Assert.StartsWith("mismatch: design.strata[industry]: expected 60000000, the protocol has 50000000", budgetOutput, StringComparison.Ordinal);
        Assert.StartsWith("mismatch: design.strata[industry]: expected no budget, the protocol has 50000000", missingOutput, StringComparison.Ordinal);
    }

    public static TheoryData<VerifyRequest> MalformedOptions => new()
    {
        new VerifyRequest("", Commitments: "ABCDEF"),
        new VerifyRequest("", PoolHash: new string('A', 64)),
        new VerifyRequest("", PlanHash: new string('A', 64)),
        new VerifyRequest("", Budgets: ["many"]),
        new VerifyRequest("", Budgets: ["100", "care=100"]),
        new VerifyRequest("", Budgets: ["care=100", "care=200"]),
        new VerifyRequest("", Announcements: "no-such-file.json"),
    };

    [Theory]
    [MemberData(nameof(MalformedOptions))]
    public async Task AnOptionThatCannotBeReadIsExitTwoNotAMismatch(VerifyRequest options)
    {
        var (exit, output) = await VerifyAsync(Genuine().ToJson(), options);

        Assert.Equal(LotteryCommand.Unreadable, exit);
        Assert.StartsWith("cannot verify: ", output, StringComparison.Ordinal);
        NoStackTrace(output);
    }

    [Fact]
    public async Task AnnouncementsThatDoNotMatchTheirSchemaAreExitTwo()
    {
        var genuine = Genuine();
        var shadowed = Shadow(Announced(genuine).ToJson(), "commitments", "Commitments");

        var (exit, output) = await VerifyAsync(genuine.ToJson(), announcements: shadowed);

        Assert.Equal(LotteryCommand.Unreadable, exit);
        Assert.Contains("announcements.json cannot be read", output, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpDocumentsTheExitCodesAndTheExpectations()
    {
        var help = new StringWriter();
        var command = new System.CommandLine.RootCommand { LotteryCommand.Create() };
        command.Parse(["lottery", "verify", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = help });

        var text = help.ToString();
        foreach (var expected in new[] { "--announcements", "--commitments", "--pool-hash", "--budget", "--plan-hash", "Exit codes: 0 verified; 1", "2 a file or option that cannot be read" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    /// <summary>The draw's protocol and the cut-off document of a top-up and a withdrawal after it, each exactly as published.</summary>
    private static (string Protocol, string Cutoffs, LotteryProtocol Moved) CutoffChanges()
    {
        var drawn = Stratified();
        var utf8 = drawn.ToUtf8Json();
        var moved = drawn
            .Moved(new CutoffChange(DrawnAt.AddDays(20), "top-up", "ESF reserve", "ministry", "industry", 150_000_00, [], []))
            .Moved(new CutoffChange(DrawnAt.AddDays(40), "withdrawal", "Project cancelled", "applicant", null, 0, [drawn.Selected[0]], []));
        var document = new CutoffDocument(CutoffDocument.CurrentSchemaVersion, drawn.RoundId, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(utf8)), moved.CutoffHistory);
        return (System.Text.Encoding.UTF8.GetString(utf8), System.Text.Encoding.UTF8.GetString(document.ToUtf8Json()), moved);
    }

    /// <summary>Verifies a cut-off document's text with the protocol's text, each written to a file of its own.</summary>
    private async Task<(int Exit, string Output)> VerifyCutoffsAsync(string cutoffs, string protocol, string? announcements = null)
    {
        var extends = Path.Combine(_directory, $"{Guid.NewGuid():N}-protocol.json");
        await File.WriteAllTextAsync(extends, protocol, Ct);
        return await VerifyAsync(cutoffs, new VerifyRequest("", Extends: extends), announcements);
    }

    private static LotteryProtocol Stratified() => Genuine(new ProtocolDesign("skip", null, [new StratumBudget("care", 300_000_00), new StratumBudget("industry", 500_000_00)]));

    [Fact]
    public async Task ACutoffDocumentVerifiesWithTheProtocolItExtendsAndItsAnnouncements()
    {
        var (protocol, cutoffs, moved) = CutoffChanges();

        var (exit, output) = await VerifyCutoffsAsync(cutoffs, protocol, Announced(Stratified()).ToJson());

        Assert.True(exit == LotteryCommand.Verified, output);
        Assert.Contains("Matches the announcements of round round-2008", output, StringComparison.Ordinal);
        Assert.NotEmpty(moved.CutoffHistory[0].NewlySelected);
    }

    [Fact]
    public async Task ACutoffDocumentWithoutTheProtocolItExtendsCannotBeVerified()
    {
        var (_, cutoffs, _) = CutoffChanges();

        var (exit, output) = await VerifyAsync(cutoffs);

        Assert.Equal(LotteryCommand.Unreadable, exit);
        Assert.Contains("is a cut-off document: pass the protocol it extends", output, StringComparison.Ordinal);
        NoStackTrace(output);
    }

    [Fact]
    public async Task ACutoffDocumentGivenAnotherProtocolThanTheOneItNamesIsAMismatch()
    {
        var (protocol, cutoffs, _) = CutoffChanges();

        var (exit, output) = await VerifyCutoffsAsync(cutoffs, protocol.Replace("\"drawNeeded\"", "\"drawNeeded\" ", StringComparison.Ordinal));

        Assert.Equal(LotteryCommand.Mismatch, exit);
        Assert.StartsWith("mismatch: extends: the cut-off document extends the protocol ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACutoffDocumentWhoseChangeSelectsOthersThanItsReplayIsAMismatch()
    {
        var (protocol, cutoffs, moved) = CutoffChanges();
        var tampered = Edit(cutoffs, root => root["cutoffHistory"]![0]!["newlySelected"]!.AsArray().Add(moved.Reserve[^1]));

        var (exit, output) = await VerifyCutoffsAsync(tampered, protocol);

        Assert.Equal(LotteryCommand.Mismatch, exit);
        Assert.StartsWith("mismatch: cutoffHistory[0].newlySelected", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACutoffDocumentNotWrittenAsPublishedIsExitTwo()
    {
        var (protocol, cutoffs, _) = CutoffChanges();

        var (exit, output) = await VerifyCutoffsAsync(cutoffs.Replace("\"roundId\"", "\"RoundId\": \"round-other\", \"roundId\"", StringComparison.Ordinal), protocol);

        Assert.Equal(LotteryCommand.Unreadable, exit);
        Assert.Contains("/RoundId: is not a property this document may have", output, StringComparison.Ordinal);
        NoStackTrace(output);
    }

    private async Task<(int Exit, string Output)> VerifyAsync(string protocolJson, VerifyRequest? options = null, string? announcements = null)
    {
        var protocol = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(protocol, protocolJson, Ct);
        var request = (options ?? new VerifyRequest("")) with { Protocol = protocol };
        if (announcements is not null)
        {
            var file = Path.Combine(Directory.CreateTempSubdirectory("grants-announced-").FullName, "announcements.json");
            await File.WriteAllTextAsync(file, announcements, Ct);
            request = request with { Announcements = file };
        }

        var output = new StringWriter();
        var exit = await LotteryCommand.VerifyAsync(request, output, Ct);
        return (exit, output.ToString());
    }

    private static void NoStackTrace(string output)
    {
        Assert.DoesNotMatch(StackFrame(), output);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    /// <summary>The genuine value moves to a differently-cased name, a tampered value (the reserve's first id in place of the first selected) takes the real name.</summary>
    private static string Shadow(string json, string name, string shadow)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var genuine = root[name]!.DeepClone();
        var tampered = genuine.DeepClone();
        if (tampered is JsonArray { Count: > 0 } list && list[0] is JsonValue)
        {
            list[0] = "P-9999";
        }
        else if (tampered is JsonArray { Count: > 0 } objects)
        {
            objects.RemoveAt(0);
        }

        root[name] = tampered;
        root[shadow] = genuine;
        return root.ToJsonString();
    }

    /// <summary>The property written twice: a tampered copy first, the genuine one last (raw text, as no JSON library writes it).</summary>
    private static string Twice(string json, string name)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var genuine = root[name]!.ToJsonString();
        root.Remove(name);
        var rest = root.ToJsonString();
        return $"{{\"{name}\":[\"P-9999\"],{rest[1..^1]},\"{name}\":{genuine}}}";
    }

    private static string Without(string json, string name) => Edit(json, root => root.AsObject().Remove(name));

    private static string Nulled(string json, string name) => Edit(json, root => root[name] = null);

    private static string Edit(string json, Action<JsonNode> edit)
    {
        var root = JsonNode.Parse(json)!;
        edit(root);
        return root.ToJsonString();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
