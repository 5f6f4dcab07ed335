using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Lottery;

/// <summary>
/// The lottery's announcements before each draw, in Blob Storage (write-once in Azure, infra/app/storage.bicep):
/// {round}/analysis-plan.json, {round}/commitments/{draw}-{index}.json, {round}/pool.json and
/// {round}/set-aside/{draw}.json. Each is
/// derived from the round's stored state alone, so writing it again — after a retry, or by the draw
/// making sure nothing is missing — writes the same bytes; different bytes under a name that exists
/// are refused, never overwritten.
/// </summary>
public sealed class AnnouncementStore(StorageAccount storage)
{
    /// <summary>The analysis plan's announcement, beside the lottery's: the plan as committed when the round opened.</summary>
    public const string AnalysisPlanFile = "analysis-plan.json";

    /// <summary>
    /// Writes every announcement the round's state holds that is not written yet: the analysis plan (once the round
    /// has opened), commitments, set-aside draws and, given the pool's strata, the pool.
    /// </summary>
    public async Task AnnounceAsync(RoundData round, FrozenPool? frozen, CancellationToken cancellationToken)
    {
        var (commitments, setAside) = LotteryAnnouncements.Current(round);
        var writes = commitments.Select(c => (Name: $"{round.Id}/commitments/{c.Draw:D4}-{c.Index:D4}.json", Json: Serialize(c)))
            .Concat(setAside.Select(s => (Name: $"{round.Id}/set-aside/{s.Draw:D4}.json", Json: Serialize(s))));
        if (AnnouncedAnalysisPlan.Of(round) is { } plan)
        {
            writes = writes.Prepend(($"{round.Id}/{AnalysisPlanFile}", Serialize(plan)));
        }

        if (round is { PoolHash: { } poolHash, PoolSize: { } poolSize, PoolFrozenAt: { } frozenAt } && frozen is not null)
        {
            var method = round.Configuration.Allocation.Method;
            var pool = new AnnouncedPool(poolHash, poolSize, ProtocolDesign.Of(round.Configuration, frozen.Entries.Select(e => e.Stratum)), frozenAt,
                Domain.Allocation.AllocationPriorities.Needed(method) ? Domain.Allocation.AllocationPriorities.Hash(Domain.Allocation.AllocationPriorities.Of(method, frozen.Entries.Select(e => e.ToCandidate()))) : null);
            writes = writes.Append(($"{round.Id}/pool.json", Serialize(pool)));
        }

        var container = await storage.ContainerAsync(ContainerNames.Announcements, cancellationToken);
        foreach (var (name, json) in writes)
        {
            await WriteOnceAsync(container.GetBlobClient(name), json, cancellationToken);
        }
    }

    /// <summary>Everything announced for the round so far, earlier draws included.</summary>
    public async Task<LotteryAnnouncements> ReadAsync(string roundId, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerNames.Announcements, cancellationToken);
        var commitments = new List<AnnouncedCommitment>();
        var setAside = new List<AnnouncedSetAside>();
        AnnouncedPool? pool = null;
        AnnouncedAnalysisPlan? plan = null;
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{roundId}/" }, cancellationToken))
        {
            var json = (await container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
            var kind = item.Name[(roundId.Length + 1)..];
            if (kind.StartsWith("commitments/", StringComparison.Ordinal))
            {
                commitments.Add(Deserialize<AnnouncedCommitment>(json));
            }
            else if (kind.StartsWith("set-aside/", StringComparison.Ordinal))
            {
                setAside.Add(Deserialize<AnnouncedSetAside>(json));
            }
            else if (kind == "pool.json")
            {
                pool = Deserialize<AnnouncedPool>(json);
            }
            else if (kind == AnalysisPlanFile)
            {
                plan = Deserialize<AnnouncedAnalysisPlan>(json);
            }
        }

        return new LotteryAnnouncements(LotteryAnnouncements.CurrentSchemaVersion, roundId,
            [.. commitments.OrderBy(c => c.Draw).ThenBy(c => c.Index)], pool, [.. setAside.OrderBy(s => s.Draw)], plan);
    }

    /// <summary>Writes the announcement unless it stands already with these bytes; other bytes under its name are refused (<see cref="EvidenceConflictException"/>).</summary>
    private static Task WriteOnceAsync(Azure.Storage.Blobs.BlobClient blob, string json, CancellationToken cancellationToken) =>
        WriteOnceBlob.CreateAsync(blob, BinaryData.FromString(json), "application/json", cancellationToken);

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, PublishedJson.Options);

    private static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, PublishedJson.Options)!;
}
