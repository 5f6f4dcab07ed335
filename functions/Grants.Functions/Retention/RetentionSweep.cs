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
    AggregateStore store, ApplicationStore applications, SurveyStore surveys, AttachmentStore attachments, DecisionDocuments letters, StorageAccount storage,
    IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweep> logger)
{
    public const string Actor = "system:retention";

    /// <returns>How many files were anonymised.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddYears(-options.Value.Years);
        var erased = 0;
        foreach (var candidate in await store.QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"UpdatedAt lt {cutoff}", cancellationToken))
        {
            if (candidate.State.PersonalDataErasedAt is null && await IsDormantAsync(candidate.Id, cutoff, cancellationToken))
            {
                await AnonymiseAsync(candidate, now, cancellationToken);
                erased++;
            }
        }

        await ForgetIdempotentResponsesAsync(now.AddDays(-options.Value.IdempotencyDays), cancellationToken);
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

    private async Task AnonymiseAsync(StoredAggregate<ApplicationData> stored, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var application = new Application(stored.State);
        application.ErasePersonalData(now);
        var emptied = Sequences(stored.AuditSequence);
        var saved = await applications.SaveAsync(stored, application, Actor, Change.Of(new PendingAuditEvent(AuditChain.ErasureEventType, new { erasedSequences = emptied })), cancellationToken);
        await store.EraseHistoryAsync(saved.Id, emptied, cancellationToken);
        foreach (var file in stored.State.Attachments)
        {
            await attachments.DeleteAsync(file.BlobName);
        }

        await letters.DeleteAllAsync(saved.Id, cancellationToken);
        foreach (var surveyRecord in await surveys.OfApplicationAsync(saved.Id, cancellationToken))
        {
            var survey = new Survey(surveyRecord.State);
            survey.ErasePersonalData(now);
            var surveyEmptied = Sequences(surveyRecord.AuditSequence);
            await surveys.SaveAsync(surveyRecord, survey, Actor, Change.Of(new PendingAuditEvent(AuditChain.ErasureEventType, new { erasedSequences = surveyEmptied })), cancellationToken);
            await store.EraseHistoryAsync(surveyRecord.Id, surveyEmptied, cancellationToken);
        }

        LogAnonymised(logger, saved.Id);
    }

    private async Task ForgetIdempotentResponsesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Idempotency, cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Timestamp lt {before}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, Azure.ETag.All, cancellationToken);
        }
    }

    private static long[] Sequences(long upTo) => [.. Enumerable.Range(1, (int)upTo).Select(i => (long)i)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Anonymised file {ApplicationId} after its retention period")]
    private static partial void LogAnonymised(ILogger logger, string applicationId);
}
