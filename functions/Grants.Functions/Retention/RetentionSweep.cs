using System.Text.Json;
using Azure.Data.Tables;
using Grants.Domain.Applications;
using Grants.Domain.Auditing;
using Grants.Domain.Execution;
using Grants.Domain.FollowUp;
using Grants.Domain.Vouchers;
using Grants.Functions.Applications;
using Grants.Functions.Applications.Attachments;
using Grants.Functions.Decisions;
using Grants.Functions.FollowUp;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Retention;

/// <summary>
/// Storage limitation: a file (an application with its grant, voucher and surveys) on which nothing
/// has happened for <see cref="RetentionOptions.Years"/> loses its personal data — contact
/// addresses, people's names, free text, uploaded documents and decision letters, the payloads of
/// its audit events and the text of its mail — and keeps the anonymous skeleton that the ledger,
/// the lottery protocol and the evaluation rely on. Each erasure is an audit event that names the
/// events it emptied, so the hash chain still verifies. Stored Idempotency-Key responses go after
/// <see cref="RetentionOptions.IdempotencyDays"/>. Repeating a run is harmless.
/// </summary>
public sealed partial class RetentionSweep(
    AggregateStore store, SurveyStore surveys, AttachmentStore attachments, DecisionDocuments letters, StorageAccount storage,
    IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweep> logger)
{
    public const string Actor = "system:retention";
    private const string RetentionIndex = "Retention"; // queried as the column ix_Retention below
    private const string Pending = "pending";
    private const string Done = "done";

    /// <returns>How many files were anonymised.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddYears(-options.Value.Years);
        var erased = 0;
        var failures = new List<Exception>();

        // Files whose erasure was committed but whose clean-up did not finish (a crash, a storage failure) first.
        var unfinished = await store.QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"ix_Retention eq {Pending}", cancellationToken);
        var idle = await store.QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"UpdatedAt lt {cutoff}", cancellationToken);
        foreach (var candidate in unfinished.Concat(idle.Where(a => a.State.PersonalDataErasedAt is null)).DistinctBy(a => a.Id))
        {
            try
            {
                if (candidate.State.PersonalDataErasedAt is not null)
                {
                    await CleanUpAsync(candidate, now, cancellationToken);
                }
                else if (await IsDormantAsync(candidate.Id, cutoff, cancellationToken))
                {
                    await CleanUpAsync(await EraseAsync(candidate, now, cancellationToken), now, cancellationToken);
                    erased++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One file's trouble does not keep the others; it is tried again tomorrow, and the run reports it.
                LogFailed(logger, e, candidate.Id);
                failures.Add(e);
            }
        }

        await ForgetIdempotentResponsesAsync(now.AddDays(-options.Value.IdempotencyDays), cancellationToken);
        if (failures.Count > 0)
        {
            throw new AggregateException($"Retention could not finish {failures.Count} file(s); they are tried again on the next run.", failures);
        }

        return erased;
    }

    /// <summary>Nothing in the file changed since the cut-off, and no survey is still waiting for answers.</summary>
    private async Task<bool> IsDormantAsync(string applicationId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        foreach (var related in new[] { GrantAgreement.IdFor(applicationId), Voucher.IdFor(applicationId) })
        {
            if (await store.FindAsync<JsonElement>(related, cancellationToken) is { } found && found.UpdatedAt >= cutoff)
            {
                return false;
            }
        }

        return (await surveys.OfApplicationAsync(applicationId, cancellationToken))
            .All(s => s.UpdatedAt < cutoff && s.State.Status is not (SurveyStatus.Scheduled or SurveyStatus.Open));
    }

    /// <summary>
    /// The erasure itself, one commit: the record's personal fields go and an erasure event names the
    /// audit events whose payloads will be emptied. The record is marked pending until the clean-up is done.
    /// </summary>
    private async Task<StoredAggregate<ApplicationData>> EraseAsync(StoredAggregate<ApplicationData> stored, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var application = new Application(stored.State);
        application.ErasePersonalData(now);
        var emptied = await ErasableAsync(stored.Id, cancellationToken);
        return await store.UpdateAsync(stored, application.Data.Status.ToString(), application.Data, Actor,
            Change.Of(new PendingAuditEvent(AuditChain.ErasureEventType, new { erasedSequences = emptied })), Marked(Pending), cancellationToken);
    }

    /// <summary>Empties the named payloads and the mail, deletes the documents, erases the surveys, then marks the file done. Every step can be repeated.</summary>
    private async Task CleanUpAsync(StoredAggregate<ApplicationData> erased, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var trail = await store.AuditTrailAsync(erased.Id, cancellationToken);
        var named = trail.Where(e => e.Type == AuditChain.ErasureEventType).SelectMany(AuditChain.ErasedSequences).ToList();
        await store.EraseHistoryAsync(erased.Id, named, cancellationToken);
        foreach (var file in erased.State.Attachments)
        {
            await attachments.DeleteAsync(file.BlobName);
        }

        await letters.DeleteAllAsync(erased.Id, cancellationToken);
        var surveysErased = 0;
        foreach (var surveyRecord in await surveys.OfApplicationAsync(erased.Id, cancellationToken))
        {
            var current = surveyRecord;
            if (current.State.PersonalDataErasedAt is null)
            {
                var survey = new Survey(current.State);
                survey.ErasePersonalData(now);
                current = await surveys.SaveAsync(current, survey, Actor,
                    Change.Of(new PendingAuditEvent(AuditChain.ErasureEventType, new { erasedSequences = await ErasableAsync(current.Id, cancellationToken) })), cancellationToken);
            }

            var surveyTrail = await store.AuditTrailAsync(current.Id, cancellationToken);
            await store.EraseHistoryAsync(current.Id, [.. surveyTrail.Where(e => e.Type == AuditChain.ErasureEventType).SelectMany(AuditChain.ErasedSequences)], cancellationToken);
            surveysErased++;
        }

        await store.UpdateAsync(erased, erased.Status, erased.State, Actor,
            Change.Of(new PendingAuditEvent("PersonalDataErasureCompleted", new { documents = erased.State.Attachments.Count, surveys = surveysErased })), Marked(Done), cancellationToken);
        LogAnonymised(logger, erased.Id);
    }

    /// <summary>The audit events whose payloads can be emptied: all linked by payload hash (events of the earliest format cannot be).</summary>
    private async Task<long[]> ErasableAsync(string aggregateId, CancellationToken cancellationToken) =>
        [.. (await store.AuditTrailAsync(aggregateId, cancellationToken)).Where(e => !e.IsLegacy && e.Type != AuditChain.ErasureEventType).Select(e => e.Sequence)];

    private static Dictionary<string, string> Marked(string state) => new() { [RetentionIndex] = state };

    private async Task ForgetIdempotentResponsesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Idempotency, cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Timestamp lt {before}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, Azure.ETag.All, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention could not finish file {ApplicationId}; it is tried again on the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception, string applicationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Anonymised file {ApplicationId} after its retention period")]
    private static partial void LogAnonymised(ILogger logger, string applicationId);
}
