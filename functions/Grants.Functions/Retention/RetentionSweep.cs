using System.Text.Json;
using Azure.Data.Tables;
using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Execution;
using Grants.Domain.FollowUp;
using Grants.Domain.Organisations;
using Grants.Domain.Vouchers;
using Grants.Functions.Applications;
using Grants.Functions.Applications.Attachments;
using Grants.Functions.Assessments;
using Grants.Functions.Decisions;
using Grants.Functions.FollowUp;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Vouchers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Retention;

/// <summary>
/// Storage limitation: a file (an application with its surveys and its grant or voucher) on which
/// nothing has happened for <see cref="RetentionOptions.Years"/> loses its personal data — contact
/// addresses, people's names, free text, uploaded documents, reports, invoices and decision letters,
/// the committee's justifications, the payloads of its audit events and the text of its mail — and
/// keeps the anonymous skeleton that the ledger, the lottery protocol and the evaluation rely on. An
/// organisation loses its contact people, a round's committee the notes on its members' conflicts
/// of interest and a supplier the text of its references, once every file of it is erased and the
/// record is as old. Each erasure is an audit event that names the events it emptied, so every hash
/// chain still verifies (<see cref="RecordErasure"/>).
/// Stored Idempotency-Key responses go after <see cref="RetentionOptions.IdempotencyDays"/>, the records of finished
/// background operations <see cref="RetentionOptions.OperationDays"/> after they finished.
/// Repeating a run is harmless; a run that stopped half-way is finished by the next.
/// </summary>
public sealed partial class RetentionSweep(
    AggregateStore store, RecordErasure erasure, ApplicationStore applications, SurveyStore surveys,
    AttachmentStore attachments, DecisionDocuments letters, Platform.Http.IdempotentRequests idempotentRequests,
    Platform.Work.BackgroundOperations operations, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweep> logger)
{
    public const string Actor = "system:retention";

    /// <summary>How files were marked finished before grants, vouchers and organisations were covered: they are finished again.</summary>
    private const string CompletedWithoutGrantsAndVouchers = "done";

    /// <returns>How many files were anonymised.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddYears(-options.Value.Years);
        var failures = new List<Exception>();

        var erased = await EraseFilesAsync(now, cutoff, failures, cancellationToken);
        await EraseOrganisationsAsync(now, cutoff, failures, cancellationToken);
        await EraseCommitteesAsync(now, cutoff, failures, cancellationToken);
        await EraseSuppliersAsync(now, cutoff, failures, cancellationToken);
        await idempotentRequests.ForgetAsync(now.AddDays(-options.Value.IdempotencyDays), cancellationToken);
        await operations.SweepAsync(now.AddDays(-options.Value.OperationDays), cancellationToken);
        if (failures.Count > 0)
        {
            throw new AggregateException($"Retention could not finish {failures.Count} record(s); they are tried again on the next run.", failures);
        }

        return erased;
    }

    private async Task<int> EraseFilesAsync(DateTimeOffset now, DateTimeOffset cutoff, List<Exception> failures, CancellationToken cancellationToken)
    {
        // Files whose erasure was committed but whose clean-up did not finish (a crash, a storage failure) first.
        var unfinished = await store.QueryAsync<ApplicationData>(ApplicationStore.AggregateType,
            $"ix_Retention eq {RecordErasure.Pending} or ix_Retention eq {CompletedWithoutGrantsAndVouchers}", cancellationToken);
        var idle = await store.QueryAsync<ApplicationData>(ApplicationStore.AggregateType, $"UpdatedAt lt {cutoff}", cancellationToken);
        var erased = 0;
        foreach (var candidate in unfinished.Concat(idle.Where(a => a.State.PersonalDataErasedAt is null)).DistinctBy(a => a.Id))
        {
            try
            {
                if (candidate.State.PersonalDataErasedAt is not null)
                {
                    await CleanUpFileAsync(candidate, now, cancellationToken);
                }
                else if (await IsDormantAsync(candidate.Id, cutoff, cancellationToken))
                {
                    var application = new Application(candidate.State);
                    application.ErasePersonalData(now);
                    await CleanUpFileAsync(await erasure.EraseAsync(candidate, application.Data, tracked: true, cancellationToken), now, cancellationToken);
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

        return erased;
    }

    /// <summary>Nothing in the file changed since the cut-off, and no survey is still waiting for answers.</summary>
    private async Task<bool> IsDormantAsync(string applicationId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        foreach (var related in new[] { GrantAgreement.IdFor(applicationId), Voucher.IdFor(applicationId), Assessment.IdFor(applicationId) })
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
    /// Everything the erased application's file reaches: its own payloads and mail, its documents and
    /// letters, its assessment, its surveys, its grant with the reports and its voucher with the invoice. Then the file
    /// is marked completed. Every step can be repeated.
    /// </summary>
    private async Task CleanUpFileAsync(StoredAggregate<ApplicationData> file, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await erasure.EmptyPayloadsAsync(file.Id, cancellationToken);
        await attachments.DeleteAllAsync(file.Id, cancellationToken);
        await letters.DeleteAllAsync(file.Id, cancellationToken);

        var assessment = await EraseRelatedAsync<AssessmentData>(Assessment.IdFor(file.Id), a => a.PersonalDataErasedAt, data =>
        {
            var erased = new Assessment(data);
            erased.ErasePersonalData(now);
            return erased.Data;
        }, cancellationToken);

        var fileSurveys = await surveys.OfApplicationAsync(file.Id, cancellationToken);
        foreach (var survey in fileSurveys)
        {
            await EraseRelatedAsync(survey, survey.State.PersonalDataErasedAt is not null, data =>
            {
                var erased = new Survey(data);
                erased.ErasePersonalData(now);
                return erased.Data;
            }, cancellationToken);
        }

        var grant = await EraseRelatedAsync<GrantData>(GrantAgreement.IdFor(file.Id), g => g.PersonalDataErasedAt, data =>
        {
            var erased = new GrantAgreement(data);
            erased.ErasePersonalData(now);
            return erased.Data;
        }, cancellationToken);
        var voucher = await EraseRelatedAsync<VoucherData>(Voucher.IdFor(file.Id), v => v.PersonalDataErasedAt, data =>
        {
            var erased = new Voucher(data);
            erased.ErasePersonalData(now);
            return erased.Data;
        }, cancellationToken);
        foreach (var owner in new[] { grant?.Id, voucher?.Id }.OfType<string>())
        {
            await attachments.DeleteAllAsync(owner, cancellationToken); // reports, invoices
        }

        await erasure.CompleteAsync(file, new { documents = file.State.Attachments.Count, assessment = assessment is not null, surveys = fileSurveys.Count, grant = grant is not null, voucher = voucher is not null }, cancellationToken);
        LogAnonymised(logger, file.Id);
    }

    /// <summary>The record of the file with this id, if there is one: erased once, its named payloads emptied every time.</summary>
    private async Task<StoredAggregate<TState>?> EraseRelatedAsync<TState>(string id, Func<TState, DateTimeOffset?> erasedAt, Func<TState, TState> erase, CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync<TState>(id, cancellationToken);
        if (stored is not null)
        {
            await EraseRelatedAsync(stored, erasedAt(stored.State) is not null, erase, cancellationToken);
        }

        return stored;
    }

    /// <summary>A record of the file: erased once, its named payloads emptied every time (the file's own mark tracks it).</summary>
    private async Task EraseRelatedAsync<TState>(StoredAggregate<TState> stored, bool alreadyErased, Func<TState, TState> erase, CancellationToken cancellationToken)
    {
        if (!alreadyErased)
        {
            await erasure.EraseAsync(stored, erase(stored.State), tracked: false, cancellationToken);
        }

        await erasure.EmptyPayloadsAsync(stored.Id, cancellationToken);
    }

    /// <summary>
    /// Organisations registered before the cut-off whose files are all erased lose their contact
    /// people; the KvK number stays, so the organisation is known again if it returns (it then
    /// registers again). One with no file at all has only its old registration, and goes too.
    /// </summary>
    private Task EraseOrganisationsAsync(DateTimeOffset now, DateTimeOffset cutoff, List<Exception> failures, CancellationToken cancellationToken)
    {
        // The rounds are read once a run, and only when some organisation has been idle that long.
        var rounds = new Lazy<Task<IReadOnlyList<string>>>(() => applications.RoundIdsAsync(cancellationToken));
        return EraseAfterTheirFilesAsync<OrganisationData>(OrganisationStore.AggregateType, cutoff,
            o => o.PersonalDataErasedAt is not null,
            async (o, ct) => await applications.OfOrganisationAsync(o.Kvk, await rounds.Value, ct),
            (stored, ct) => erasure.EraseAsync(stored, Organisation.ErasePersonalData(stored.State, now), tracked: true, ct),
            erased => LogOrganisationAnonymised(logger, erased.State.Kvk),
            failures, cancellationToken);
    }

    /// <summary>
    /// A round's committee whose files are all erased loses the notes on its members' conflicts of
    /// interest, in its state and in the audit events that declared them; the rest of its trail
    /// (constitution, criteria) holds no personal data and stays readable.
    /// </summary>
    private Task EraseCommitteesAsync(DateTimeOffset now, DateTimeOffset cutoff, List<Exception> failures, CancellationToken cancellationToken) =>
        EraseAfterTheirFilesAsync<CommitteeData>(CommitteeStore.AggregateType, cutoff,
            c => c.PersonalDataErasedAt is not null,
            (c, ct) => applications.OfRoundAsync(c.RoundId, ct),
            (stored, ct) => erasure.EraseAsync(stored, Committee.ErasePersonalData(stored.State, now), tracked: true, e => e.Type == CommitteeStore.ConflictDeclaredEvent, ct),
            erased => LogCommitteeAnonymised(logger, erased.State.RoundId),
            failures, cancellationToken);

    /// <summary>
    /// A supplier whose every redeemed voucher's file is erased (or that never redeemed one) loses the
    /// text of its references. Vouchers do not say on their row who claimed them, so the run reads
    /// every voucher once, and only when some supplier has been idle that long.
    /// </summary>
    private Task EraseSuppliersAsync(DateTimeOffset now, DateTimeOffset cutoff, List<Exception> failures, CancellationToken cancellationToken)
    {
        // A claim the holder disputed is no longer the voucher's claim, but the supplier took part in that file too.
        var claims = new Lazy<Task<ILookup<string, string>>>(async () =>
            (await store.QueryAsync<VoucherData>(VoucherStore.VoucherType, cancellationToken))
                .SelectMany(v => (v.State.DisputedClaims ?? []).Append(v.State.Claim?.SupplierKvk).OfType<string>().Distinct().Select(kvk => (Kvk: kvk, v.State.ApplicationId)))
                .ToLookup(c => c.Kvk, c => c.ApplicationId));
        return EraseAfterTheirFilesAsync<SupplierData>(SupplierStore.SupplierType, cutoff,
            s => s.PersonalDataErasedAt is not null,
            async (s, ct) =>
            {
                var files = new List<StoredAggregate<ApplicationData>>();
                foreach (var applicationId in (await claims.Value)[s.Kvk])
                {
                    files.Add(await applications.FindAsync(applicationId, ct) ?? throw new InvalidOperationException($"Application {applicationId} of a claimed voucher vanished."));
                }

                return files;
            },
            (stored, ct) => erasure.EraseAsync(stored, Suppliers.ErasePersonalData(stored.State, now), tracked: true, _ => false, ct),
            erased => LogSupplierAnonymised(logger, erased.State.Kvk),
            failures, cancellationToken);
    }

    /// <summary>
    /// Records that outlive single files (an organisation, a round's committee): idle since the cut-off
    /// and every file they have erased, they are erased, their named payloads emptied and marked
    /// completed; one left pending by an earlier run is finished first.
    /// </summary>
    private async Task EraseAfterTheirFilesAsync<TState>(
        string aggregateType, DateTimeOffset cutoff, Func<TState, bool> isErased,
        Func<TState, CancellationToken, Task<IReadOnlyList<StoredAggregate<ApplicationData>>>> filesOf,
        Func<StoredAggregate<TState>, CancellationToken, Task<StoredAggregate<TState>>> erase, Action<StoredAggregate<TState>> log,
        List<Exception> failures, CancellationToken cancellationToken)
    {
        var unfinished = await store.QueryAsync<TState>(aggregateType, $"ix_Retention eq {RecordErasure.Pending}", cancellationToken);
        var idle = await store.QueryAsync<TState>(aggregateType, $"UpdatedAt lt {cutoff}", cancellationToken);
        foreach (var candidate in unfinished.Concat(idle.Where(r => !isErased(r.State))).DistinctBy(r => r.Id))
        {
            try
            {
                var erased = candidate;
                if (!isErased(candidate.State))
                {
                    if (!(await filesOf(candidate.State, cancellationToken)).All(a => a.State.PersonalDataErasedAt is not null))
                    {
                        continue;
                    }

                    erased = await erase(candidate, cancellationToken);
                }

                await erasure.EmptyPayloadsAsync(erased.Id, cancellationToken);
                await erasure.CompleteAsync(erased, summary: null, cancellationToken);
                log(erased);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, candidate.Id);
                failures.Add(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention could not finish {RecordId}; it is tried again on the next run")]
    private static partial void LogFailed(ILogger logger, Exception exception, string recordId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Anonymised file {ApplicationId} after its retention period")]
    private static partial void LogAnonymised(ILogger logger, string applicationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased the contact people of organisation {Kvk}, all of whose files are past their retention period")]
    private static partial void LogOrganisationAnonymised(ILogger logger, string kvk);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased the conflict-of-interest notes of the committee of round {RoundId}, all of whose files are past their retention period")]
    private static partial void LogCommitteeAnonymised(ILogger logger, string roundId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased the references of supplier {Kvk}, all of whose redeemed vouchers' files are past their retention period")]
    private static partial void LogSupplierAnonymised(ILogger logger, string kvk);
}
