using System.Globalization;
using System.Text.RegularExpressions;
using Grants.Domain.Lottery;
using Grants.Tests;

namespace Grants.Domain.Tests.Lottery;

/// <summary>
/// docs/lottery.md is what outsiders re-implement the draw from: its worked example and its pool-hash
/// example must be what the reference implementation computes, value for value.
/// </summary>
public sealed partial class LotteryDocumentationTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "lottery.md"));

    [Fact]
    public void TheWorkedExampleIsWhatTheDrawComputes()
    {
        var example = WorkedExample();
        var pool = System.Text.Json.JsonSerializer.Deserialize<List<ProtocolPoolEntry>>(example["pool"], PublishedJson.Options)!;
        var design = example["design"].Split(' ');
        var seeds = new[] { Convert.FromHexString(example["seed 1 (ministry)"]), Convert.FromHexString(example["seed 2 (notary)"]) };

        var plan = Grants.Evaluation.Dataset.EvaluationDesign.Parse(example["analysisPlan"]);

        var protocol = LotteryProtocol.Draw(example["roundId"], pool.Select(p => new DrawEntry(p.Id, p.Stratum, p.Amount)), seeds,
            new ProtocolDesign(design[0], long.Parse(design[1], CultureInfo.InvariantCulture)), 1_000, DateTimeOffset.UnixEpoch, plan.Hash());

        Assert.Equal(example["pool"], LotteryPool.CanonicalJson(pool.Select(p => new PoolEntry(p.Id, p.Stratum, p.Amount, "", "", false, default))));
        Assert.Equal(example["poolHash"], protocol.PoolHash);
        Assert.Equal([example["commitment 1"], example["commitment 2"]], protocol.Commitments);
        Assert.Equal(example["drawKey"], protocol.DrawKey);
        Assert.All(protocol.Order, o => Assert.Equal(example[$"score {o.Id}"], o.Score));
        Assert.Equal(example["order"], string.Join(", ", protocol.Order.Select(o => o.Id)));
        Assert.Equal(example["selected"], string.Join(", ", protocol.Selected));
        Assert.Equal(example["reserve"], string.Join(", ", protocol.Reserve));
        Assert.Equal(example["probabilities"], string.Join(", ", protocol.Probabilities.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Id} {p.P} {p.Method}"))));
        Assert.Equal(example["analysisPlan"], plan.CanonicalJson());
        Assert.Equal(example["analysisPlanHash"], protocol.AnalysisPlanHash);
        Assert.Equal(example["analysisPlanHash"], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(example["analysisPlan"]))));
        // The example's plan is the one a round commits to when it names none but its primary wave.
        Assert.Equal(example["analysisPlanHash"], Builders.PlanHash);
    }

    [Fact]
    public void ThePoolHashExampleIsTheHashOfItsOwnBytes()
    {
        var match = PoolHashExample().Match(Page);

        Assert.True(match.Success, "docs/lottery.md no longer shows pool bytes followed by their hash");
        Assert.Equal(match.Groups["hash"].Value, LotteryPool.Hash(match.Groups["bytes"].Value));
    }

    private static Dictionary<string, string> WorkedExample()
    {
        var block = WorkedExampleBlock().Match(Page);
        Assert.True(block.Success, "docs/lottery.md has no ```worked-example block");
        return block.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(": ", 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
    }

    [GeneratedRegex(@"```worked-example\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex WorkedExampleBlock();

    [GeneratedRegex(@"`(?<bytes>\[\{""id"".*?\}\])`\.\s+Ids and strata.*?For the example above it is\s+`(?<hash>[0-9a-f]{64})`", RegexOptions.Singleline)]
    private static partial Regex PoolHashExample();
}
