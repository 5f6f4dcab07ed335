using Azure.Core;
using Grants.Domain.Applications;
using Grants.Domain.Auditing;
using Grants.Domain.Execution;
using Grants.Domain.Organisations;
using Grants.Domain.Vouchers;
using Grants.Functions.Organisations;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Retention;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Retention;

/// <summary>
/// A retention run that does not get to the end — the host stops it, or storage keeps failing for one
/// file — is finished by the next run (the file's mark goes pending → completed): every audit chain
/// verifies at each point, and in the end nothing is left half-erased.
/// </summary>
public sealed class InterruptedRetentionTests(FaultyGrantsApi api) : IClassFixture<FaultyGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RetentionScenario Scenario => new(api, api.Advance);

    [Fact]
    public async Task ARunStoppedHalfWayThroughAFileIsFinishedByTheNextRun()
    {
        // Two drawn rounds: a paid voucher and a settled grant among eight files, each with its surveys and organisation.
        var voucher = await Scenario.PaidVoucherAsync();
        var grant = await Scenario.SettledGrantAsync();
        await Scenario.FollowUpEndsAsync(grant.DrawnAt);
        var files = await FilesOfAsync(voucher.RoundId, grant.RoundId);
        Assert.Equal(8, files.Count);
        api.Advance(RetentionScenario.PastRetention);

        // The host stops the run (a deployment, a time-out) as it starts deleting the documents of the second file it reached.
        using var stop = new CancellationTokenSource();
        var reached = new List<string>();
        api.Faults.InjectWhere(request =>
        {
            if (request.Method != RequestMethod.Delete || ApplicationDocumentOf(request.Uri.Path) is not { } owner)
            {
                return false;
            }

            if (!reached.Contains(owner))
            {
                reached.Add(owner);
            }

            if (reached.Count < 2)
            {
                return false;
            }

            stop.Cancel();
            return true;
        }, failBeforeSend: 1, loseResponse: 0);
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.Host.Timers.FireAsync(nameof(ApplyRetention), stop.Token));
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        // One file finished, one half-erased (record erased and marked pending, its documents still there), the rest not reached.
        var marks = new Dictionary<string, string?>();
        foreach (var file in files)
        {
            marks[file] = await Scenario.RetentionMarkAsync(file);
        }

        Assert.Equal(reached[0], Assert.Single(marks, m => m.Value == RecordErasure.Completed).Key);
        var stopped = Assert.Single(marks, m => m.Value == RecordErasure.Pending).Key;
        Assert.Equal(reached[1], stopped);
        Assert.Equal(files.Count - 2, marks.Count(m => m.Value is null));
        Assert.NotNull((await Scenario.RecordAsync<ApplicationData>(stopped)).State.PersonalDataErasedAt);
        Assert.NotEmpty(await Scenario.BlobsAsync(stopped));

        // Even now every chain verifies: each erasure was declared before anything was emptied.
        var records = await RecordsOfAsync(files);
        foreach (var id in records)
        {
            var chain = await Scenario.ChainAsync(id);
            Assert.True(chain.IsIntact, $"{id}: {chain.Problem}");
        }

        // The next run finishes the stopped file and the others.
        await api.FireAsync(nameof(ApplyRetention));
        await AssertCompletelyErasedAsync(files, records);

        // And one more run changes nothing.
        var events = new Dictionary<string, int>();
        foreach (var id in records)
        {
            events[id] = (await Scenario.TrailAsync(id)).Count;
        }

        await api.FireAsync(nameof(ApplyRetention));
        foreach (var id in records)
        {
            Assert.Equal(events[id], (await Scenario.TrailAsync(id)).Count);
        }
    }

    [Fact]
    public async Task AFileWhoseDocumentsCannotBeDeletedIsReportedAndFinishedByTheNextRunWhileTheOthersComplete()
    {
        var round = await api.OpenRoundAsync();
        var files = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            files.Add((await Scenario.WithdrawnAsync(round.Id, GrantBuilders.NewKvk())).Id);
        }

        api.Advance(RetentionScenario.PastRetention);

        // Storage refuses every deletion of the middle file's documents, through all of the SDK's retries.
        var failing = files[1];
        api.Faults.InjectWhere(request => request.Method == RequestMethod.Delete && ApplicationDocumentOf(request.Uri.Path) == failing, failBeforeSend: 1, loseResponse: 0);
        try
        {
            var reported = await Assert.ThrowsAsync<AggregateException>(() => api.FireAsync(nameof(ApplyRetention)));
            Assert.Single(reported.InnerExceptions);
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        // The others are finished; the failing one is erased but pending, its documents still there, its chain intact.
        foreach (var file in files.Where(f => f != failing))
        {
            Assert.Equal(RecordErasure.Completed, await Scenario.RetentionMarkAsync(file));
        }

        Assert.Equal(RecordErasure.Pending, await Scenario.RetentionMarkAsync(failing));
        Assert.NotEmpty(await Scenario.BlobsAsync(failing));
        Assert.True((await Scenario.ChainAsync(failing)).IsIntact);

        // With storage well again, the next run finishes it.

        await api.FireAsync(nameof(ApplyRetention));
        await AssertCompletelyErasedAsync(files, await RecordsOfAsync(files));
    }

    /// <summary>Every file completed once, with all it reaches: no contact address or document left, every payload emptied under a declared erasure, every chain intact.</summary>
    private async Task AssertCompletelyErasedAsync(IReadOnlyList<string> files, IReadOnlyList<string> records)
    {
        foreach (var file in files)
        {
            Assert.Equal(RecordErasure.Completed, await Scenario.RetentionMarkAsync(file));
            Assert.Single(await Scenario.TrailAsync(file), e => e.Type == RecordErasure.CompletedEventType);
            var kvk = (await Scenario.RecordAsync<ApplicationData>(file)).State.Applicant.Kvk;
            Assert.Equal(RecordErasure.Completed, await Scenario.RetentionMarkAsync(OrganisationStore.IdFor(kvk)));
            Assert.Empty((await Scenario.RecordAsync<OrganisationData>(OrganisationStore.IdFor(kvk))).State.Representatives);
            foreach (var owner in new[] { file, GrantAgreement.IdFor(file), Voucher.IdFor(file) })
            {
                Assert.Empty(await Scenario.BlobsAsync(owner));
            }
        }

        var contacts = new List<string>();
        foreach (var file in files)
        {
            contacts.Add(GrantBuilders.ContactEmail((await Scenario.RecordAsync<ApplicationData>(file)).State.Applicant.Kvk));
        }

        foreach (var id in records)
        {
            var text = await Scenario.RowsTextAsync(id);
            Assert.All(contacts, contact => Assert.DoesNotContain(contact, text, StringComparison.Ordinal));
            var trail = await Scenario.TrailAsync(id);
            Assert.Single(trail, e => e.Type == AuditChain.ErasureEventType);
            Assert.All(trail.Where(e => e.Type is not (AuditChain.ErasureEventType or RecordErasure.CompletedEventType)), e => Assert.Equal(AuditChain.ErasedPayload, e.Payload));
            var chain = await Scenario.ChainAsync(id);
            Assert.True(chain.IsIntact, $"{id}: {chain.Problem}");
        }
    }

    private async Task<IReadOnlyList<string>> FilesOfAsync(params string[] roundIds)
    {
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        var files = new List<string>();
        foreach (var roundId in roundIds)
        {
            files.AddRange((await store.QueryAsync<object>(Grants.Functions.Applications.ApplicationStore.AggregateType, $"ix_RoundId eq {roundId}", Ct)).Select(a => a.Id));
        }

        return files;
    }

    /// <summary>Every record the files consist of: the applications, their surveys, grants and vouchers, and their organisations.</summary>
    private async Task<IReadOnlyList<string>> RecordsOfAsync(IReadOnlyList<string> files)
    {
        var store = new AggregateStore(api.Storage(), TimeProvider.System);
        var records = new List<string>();
        foreach (var file in files)
        {
            records.Add(file);
            records.AddRange(await Scenario.SurveysOfAsync(file));
            foreach (var related in new[] { GrantAgreement.IdFor(file), Voucher.IdFor(file) })
            {
                if (await store.FindAsync<object>(related, Ct) is not null)
                {
                    records.Add(related);
                }
            }

            records.Add(OrganisationStore.IdFor((await Scenario.RecordAsync<ApplicationData>(file)).State.Applicant.Kvk));
        }

        return records;
    }

    /// <summary>The application whose uploaded document a blob path names (<c>/{account}/attachments/{application}/…</c>), if it is one.</summary>
    private static string? ApplicationDocumentOf(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, ContainerNames.Attachments, var owner, ..] && owner.StartsWith("app-", StringComparison.Ordinal) ? owner : null;
}
