using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Grants.Contracts.Rounds;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Lottery;
using Grants.Domain.Rounds;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Rounds;

/// <summary>
/// Freezing a closed round's pool: every submitted application must have its eligibility decided;
/// the eligible ones, with stratum, amount and baseline covariates, become a write-once document
/// named by its hash (docs/design.md §4), the round records the hash, and the applications enter the pool.
/// </summary>
public sealed class PoolFreezing(StorageAccount storage, RoundStore rounds, ApplicationStore applications, Assessments.AssessmentStore assessments, Lottery.AnnouncementStore announcements, TimeProvider time)
{
    public async Task<Result<StoredAggregate<RoundData>>> FreezeAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return RoundStore.NotFound(roundId);
        }

        if (stored.State is { Status: RoundStatus.PoolFrozen, PoolHash: not null })
        {
            // Frozen already: finish moving its applications into the pool (an earlier attempt may have stopped halfway).
            var frozen = await ReadPoolAsync(stored.State, cancellationToken);
            await announcements.AnnounceAsync(stored.State, frozen.Entries.Select(e => e.Stratum), cancellationToken);
            await EnterPoolAsync(roundId, frozen.PoolHash, frozen.Entries.Select(e => (e.ApplicationId, e.Id)), caller, cancellationToken);
            return stored;
        }

        var round = new Round(stored.State);
        var all = await applications.OfRoundAsync(roundId, cancellationToken);
        var undecided = all.Count(a => new Application(a.State).AwaitsEligibilityDecision);
        var design = stored.State.Configuration.Allocation;
        var qualified = all.Where(a => a.State.Status is ApplicationStatus.Eligible or ApplicationStatus.InPool).ToList();
        if (design.AssessesBeforeDraw)
        {
            // Assess then lottery: only applications the committee advised positively enter the pool; none may be pending.
            var advice = new Dictionary<string, bool?>();
            foreach (var application in qualified)
            {
                advice[application.Id] = (await assessments.FindAsync(Domain.Assessments.Assessment.IdFor(application.Id), cancellationToken))?.State.Advice?.Positive;
            }

            var unassessed = advice.Count(a => a.Value is null);
            if (stored.State.Status == RoundStatus.Closed && unassessed > 0)
            {
                throw new DomainRuleException("pool", $"the committee's advice is still missing for {English.Count(unassessed, "eligible application")}, and this round assesses before the draw");
            }

            qualified = [.. qualified.Where(a => advice[a.Id] == true)];
        }

        var entries = qualified
            .Select(a => new PoolEntry(a.State.PoolId ?? PoolEntry.NewPseudonym(), design.StratumOf(a.State.Applicant.Sector, a.State.Applicant.SizeClass, a.State.Applicant.IsPublic),
                a.State.Content.RequestedAmountCents, a.State.Applicant.Sector, a.State.Applicant.SizeClass, a.State.Applicant.IsPublic, a.State.SubmittedAt!.Value, a.Id))
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        var canonical = LotteryPool.CanonicalJson(entries);
        var hash = LotteryPool.Hash(canonical);
        var now = time.GetUtcNow();

        round.FreezePool(undecided, hash, entries.Count, now);
        var document = new PoolResponse(roundId, now, hash, canonical,
            [.. entries.Select(e => new PoolEntryResponse(e.Id, e.ApplicationId!, e.Stratum, e.Amount, e.Sector, e.SizeClass, e.IsPublic, e.SubmittedAt))]);
        await WriteOnceAsync(roundId, hash, document, cancellationToken);
        var saved = await rounds.SaveAsync(stored, round, caller.AuditName, new PendingAuditEvent("PoolFrozen", new { poolHash = hash, poolSize = entries.Count }), cancellationToken);
        await announcements.AnnounceAsync(saved.State, entries.Select(e => e.Stratum), cancellationToken);

        await EnterPoolAsync(roundId, hash, entries.Select(e => (e.ApplicationId!, e.Id)), caller, cancellationToken);
        return saved;
    }

    private async Task EnterPoolAsync(string roundId, string poolHash, IEnumerable<(string ApplicationId, string PoolId)> entries, Caller caller, CancellationToken cancellationToken)
    {
        await Fanout.ForEachAsync(entries, (entry, ct) =>
            applications.UpdateWithRetryAsync(entry.ApplicationId, a => a.Data.Status == ApplicationStatus.Eligible, a =>
            {
                a.EnterPool(entry.PoolId);
                return Change.Of(new PendingAuditEvent("EnteredPool", new { roundId, poolHash, poolId = entry.PoolId }));
            }, caller.AuditName, ct), cancellationToken);
    }

    public async Task<Result<PoolResponse>> ReadAsync(string roundId, CancellationToken cancellationToken) =>
        await rounds.FindAsync(roundId, cancellationToken) is { State.PoolHash: not null } stored
            ? await ReadPoolAsync(stored.State, cancellationToken)
            : Failure.NotFound($"Round {roundId} has no frozen pool.");

    /// <summary>The frozen pool document of a round whose pool is frozen.</summary>
    public async Task<PoolResponse> ReadPoolAsync(RoundData round, CancellationToken cancellationToken)
    {
        var hash = round.PoolHash ?? throw new InvalidOperationException($"Round {round.Id} has no frozen pool.");
        var container = await storage.ContainerAsync(ContainerNames.Pools, cancellationToken);
        var content = await container.GetBlobClient(BlobName(round.Id, hash)).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToObjectFromJson<PoolResponse>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private static string BlobName(string roundId, string hash) => $"{roundId}/{hash}.json";

    /// <summary>Content-addressed and never overwritten: a retried freeze finds its own document already there.</summary>
    private async Task WriteOnceAsync(string roundId, string hash, PoolResponse document, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(ContainerNames.Pools, cancellationToken);
        try
        {
            await container.GetBlobClient(BlobName(roundId, hash)).UploadAsync(
                BinaryData.FromObjectAsJson(document, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Same hash, same pool: written by an earlier attempt.
        }
    }
}
