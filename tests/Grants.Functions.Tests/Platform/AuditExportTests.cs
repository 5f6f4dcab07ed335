using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Grants.Contracts.Audit;
using Grants.Contracts.Lottery;
using Grants.Contracts.Schemes;
using Grants.Domain.Auditing;
using Grants.Functions.Platform.Audit;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Lottery;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// The evidence export (docs/decisions/0011): what it holds, that it is written once and never
/// overwritten, and that a trail rewritten after it fails verification. On a host of their own, so the
/// export can be compared with everything in storage, and on its clock, moved a day to make an export due.
/// </summary>
[Collection(nameof(EvidenceHost))]
public sealed class AuditExportTests(EvidenceGrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BlobContainerClient Exports => new BlobServiceClient(api.EvidenceConnectionString).GetBlobContainerClient(ContainerNames.AuditExports);

    // --- what an export holds

    [Fact]
    public async Task AnExportHoldsTheHeadOfEveryAuditChainAndNoEvent()
    {
        await DrawnRoundAsync();

        var export = await ExportNowAsync();

        var lines = await LinesAsync(export, AuditExportStore.ChainHeadsPart);
        Assert.All(lines, line => Assert.Equal(["aggregateId", "aggregateType", "sequence", "hash"], JsonNode.Parse(line)!.AsObject().Select(p => p.Key)));
        var exported = lines.Select(line => JsonSerializer.Deserialize<ExportedChainHead>(line, JsonSerializerOptions.Web)!).OrderBy(h => h.AggregateId, StringComparer.Ordinal).ToList();
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var stored = await table.QueryAsync<TableEntity>(e => e.RowKey == AggregateStore.StateRowKey, cancellationToken: Ct)
            .Select(row => new ExportedChainHead(row.PartitionKey, row.GetString("AggregateType"), row.GetInt64("AuditSequence")!.Value, row.GetString("AuditHead")))
            .OrderBy(h => h.AggregateId, StringComparer.Ordinal).ToListAsync(Ct);
        Assert.True(stored.Count > 10, $"only {stored.Count} aggregates");
        Assert.Equal(stored, exported);
        foreach (var head in exported.Take(5))
        {
            Assert.Equal(head.Hash, (await table.QueryAsync<TableEntity>(e => e.PartitionKey == head.AggregateId, cancellationToken: Ct).LastAsync(e => e.RowKey.StartsWith(AggregateStore.AuditRowPrefix, StringComparison.Ordinal), Ct)).GetString("Hash"));
        }
    }

    [Fact]
    public async Task AnExportHoldsEveryRowOfTheBudgetLedgers()
    {
        var round = await DrawnRoundAsync();

        var export = await ExportNowAsync();

        var exported = (await LinesAsync(export, AuditExportStore.LedgersPart)).Select(line => JsonNode.Parse(line)!.AsObject())
            .ToDictionary(row => $"{row["PartitionKey"]}/{row["RowKey"]}");
        var stored = await (await api.Storage().TableAsync(TableNames.Ledgers, Ct)).QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(stored.Select(r => $"{r.PartitionKey}/{r.RowKey}").Order(StringComparer.Ordinal), exported.Keys.Order(StringComparer.Ordinal));
        var reservations = stored.Where(r => r.PartitionKey == $"ledger-{round}" && r.GetString("Kind") == "reserve").ToList();
        Assert.NotEmpty(reservations);
        foreach (var row in stored)
        {
            var line = exported[$"{row.PartitionKey}/{row.RowKey}"];
            foreach (var amount in new[] { "Amount", "Ceiling", "Reserved", "Committed" }.Where(row.ContainsKey))
            {
                Assert.Equal(row.GetInt64(amount)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), line[amount]!.GetValue<string>());
                Assert.Equal("Edm.Int64", line[$"{amount}@odata.type"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task AnExportVouchesForEveryPublishedProtocolAndAnnouncement()
    {
        await DrawnRoundAsync();

        var export = await ExportNowAsync();

        var exported = (await LinesAsync(export, AuditExportStore.PublishedPart)).Select(line => JsonSerializer.Deserialize<ExportedDocument>(line, JsonSerializerOptions.Web)!).ToList();
        var evidence = new BlobServiceClient(api.EvidenceConnectionString);
        var stored = new List<ExportedDocument>();
        foreach (var container in new[] { ContainerNames.Protocols, ContainerNames.Announcements })
        {
            await foreach (var blob in evidence.GetBlobContainerClient(container).GetBlobsAsync(cancellationToken: Ct))
            {
                var bytes = (await evidence.GetBlobContainerClient(container).GetBlobClient(blob.Name).DownloadContentAsync(Ct)).Value.Content.ToArray();
                stored.Add(new ExportedDocument(container, blob.Name, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))));
            }
        }

        Assert.Contains(stored, d => d.Container == ContainerNames.Protocols);
        Assert.Equal(stored, exported);
    }

    [Fact]
    public async Task AnExportsManifestCountsAndHashesEachPart()
    {
        await DrawnRoundAsync();

        var export = await ExportNowAsync();

        Assert.Equal(ContainerNames.AuditExports, export.Container);
        Assert.Matches(@"^[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9]{6}Z$", export.Export);
        Assert.Equal(AuditExportStore.NameFor(export.ExportedAt), export.Export);
        Assert.Equal([AuditExportStore.ChainHeadsPart, AuditExportStore.LedgersPart, AuditExportStore.PublishedPart], export.Parts.Select(p => p.Name));
        foreach (var part in export.Parts)
        {
            var bytes = (await Exports.GetBlobClient($"{export.Export}/{part.Name}").DownloadContentAsync(Ct)).Value.Content.ToArray();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), part.Sha256);
            Assert.Equal(bytes.Length, part.Bytes);
            Assert.Equal(bytes.Count(b => b == (byte)'\n'), part.Lines);
        }

        var manifest = Exports.GetBlobClient($"{export.Export}/{AuditExportStore.ManifestName}");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData((await manifest.DownloadContentAsync(Ct)).Value.Content.ToArray())), export.ManifestSha256);
        Assert.False(await new BlobServiceClient(api.StorageConnectionString).GetBlobContainerClient(ContainerNames.AuditExports).ExistsAsync(Ct), "exports went to the data account");
    }

    // --- written once, never overwritten

    /// <summary>A manifest and its lines are read as strictly as every published document.</summary>
    [Theory]
    [InlineData("""{"schemaVersion":1,"Export":"2026/12/06/011500Z","exportedAt":"2026-12-06T01:15:00Z","parts":[]}""")]
    [InlineData("""{"schemaVersion":1,"export":"2026/12/06/011500Z","exportedAt":"2026-12-06T01:15:00Z","parts":[],"note":"extra"}""")]
    [InlineData("""{"schemaVersion":1,"export":"2026/12/06/011500Z","export":"2026/12/07/011500Z","exportedAt":"2026-12-06T01:15:00Z","parts":[]}""")]
    public void AManifestWithAnotherCasingAnUnknownOrADoubledNameIsRefused(string manifest) =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<AuditExportManifest>(manifest, AuditExportStore.Json));

    [Fact]
    public void AManifestAsWrittenIsReadBack()
    {
        var manifest = new AuditExportManifest(AuditExportManifest.CurrentSchemaVersion, "2026/12/06/011500Z", DateTimeOffset.Parse("2026-12-06T01:15:00Z", System.Globalization.CultureInfo.InvariantCulture), []);

        var json = System.Text.Json.JsonSerializer.Serialize(manifest, AuditExportStore.Json);

        Assert.DoesNotContain('\n', json);
        Assert.Equal(manifest.Export, System.Text.Json.JsonSerializer.Deserialize<AuditExportManifest>(json, AuditExportStore.Json)!.Export);
    }

    [Fact]
    public async Task ASecondExportIsANewOneAndLeavesTheFirstAsItWas()
    {
        var first = await ExportNowAsync();
        var before = await BlobsAsync($"{first.Export}/");
        using var ministry = api.As(Roles.Ministry);
        var (scheme, _) = await ministry.CreateAsync();

        var second = await ExportNowAsync();

        Assert.True(string.CompareOrdinal(second.Export, first.Export) > 0, $"{second.Export} after {first.Export}");
        Assert.Equal(before, await BlobsAsync($"{first.Export}/"));
        Assert.DoesNotContain(await LinesAsync(first, AuditExportStore.ChainHeadsPart), line => line.Contains(scheme.Id, StringComparison.Ordinal));
        Assert.Contains(await LinesAsync(second, AuditExportStore.ChainHeadsPart), line => line.Contains(scheme.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoSecondExportIsWrittenInTheSameDay()
    {
        var export = await ExportNowAsync();
        var before = await BlobsAsync("");

        await api.FireAsync(nameof(ExportAuditEvidence));

        Assert.Equal(before, await BlobsAsync(""));
        Assert.Equal(export.ManifestSha256, (await LatestAsync()).ManifestSha256);
    }

    [Fact]
    public async Task AnExportUnderATakenNameCountsAsWrittenWithTheSameContentsAndIsRefusedWithOthers()
    {
        var exporter = api.Host.App.Services.GetRequiredService<AuditEvidenceExporter>();
        var at = new DateTimeOffset(2008, 3, 1, 9, 0, Random.Shared.Next(60), TimeSpan.Zero).AddMinutes(Random.Shared.Next(60 * 24 * 28));
        var written = await exporter.ExportAsync(at, Ct);
        var before = await BlobsAsync($"{written.Export}/");

        Assert.Equivalent(written, await exporter.ExportAsync(at, Ct)); // a repeat of the same run finds it written
        using var ministry = api.As(Roles.Ministry);
        await ministry.CreateAsync();
        await Assert.ThrowsAsync<EvidenceConflictException>(() => exporter.ExportAsync(at, Ct));

        Assert.Equal(before, await BlobsAsync($"{written.Export}/"));
    }

    [Fact]
    public async Task AnExportThatFailsWhileReadingFailsItsRunCommitsNothingAndIsMadeGoodByTheNextRun()
    {
        var previous = await ExportNowAsync();
        var before = await BlobsAsync("");
        api.Advance(TimeSpan.FromDays(1));

        api.Faults.InjectWhere(request => request.Uri.Path.Contains("/ledgers", StringComparison.Ordinal), failBeforeSend: 1, loseResponse: 0);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => api.FireAsync(nameof(ExportAuditEvidence)));
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        Assert.Equal(before, await BlobsAsync(""));
        Assert.Equal(previous.ManifestSha256, (await LatestAsync()).ManifestSha256);
        await api.FireAsync(nameof(ExportAuditEvidence));
        Assert.NotEqual(previous.Export, (await LatestAsync()).Export);
    }

    [Fact]
    public async Task AnExportWhoseManifestCouldNotBeWrittenIsPassedOverUntilARunCompletes()
    {
        var previous = await ExportNowAsync();
        api.Advance(TimeSpan.FromDays(1));

        api.Faults.InjectWhere(request => request.Uri.Path.EndsWith($"/{AuditExportStore.ManifestName}", StringComparison.Ordinal), failBeforeSend: 1, loseResponse: 0);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => api.FireAsync(nameof(ExportAuditEvidence)));
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        var incomplete = (await BlobsAsync("")).Keys.Where(name => name.EndsWith(AuditExportStore.ChainHeadsPart, StringComparison.Ordinal)).Max(StringComparer.Ordinal)!;
        Assert.True(string.CompareOrdinal(incomplete, previous.Export) > 0, "the failed run committed its parts");
        Assert.Equal(previous.ManifestSha256, (await LatestAsync()).ManifestSha256);
        api.Advance(TimeSpan.FromSeconds(1));
        await api.FireAsync(nameof(ExportAuditEvidence));
        var next = await LatestAsync();
        Assert.True(string.CompareOrdinal(next.Export, incomplete) > 0, $"{next.Export} after {incomplete}");
    }

    [Fact]
    public async Task AnExportWhosePartCouldNotBeCommittedHasNoManifest()
    {
        var previous = await ExportNowAsync();
        api.Advance(TimeSpan.FromDays(1));

        // The last part's commit fails: the manifest, written last, must not stand for an export missing a part.
        api.Faults.InjectWhere(request => request.Uri.Path.EndsWith($"/{AuditExportStore.PublishedPart}", StringComparison.Ordinal) && request.Uri.Query.Contains("comp=blocklist", StringComparison.Ordinal), failBeforeSend: 1, loseResponse: 0);
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => api.FireAsync(nameof(ExportAuditEvidence)));
        }
        finally
        {
            api.Faults.Inject(0, 0);
        }

        Assert.DoesNotContain((await BlobsAsync("")).Keys, name => name.EndsWith(AuditExportStore.ManifestName, StringComparison.Ordinal) && string.CompareOrdinal(name, previous.Export) > 0 && !name.StartsWith(previous.Export, StringComparison.Ordinal));
        Assert.Equal(previous.ManifestSha256, (await LatestAsync()).ManifestSha256);
    }

    [Fact]
    public async Task TheLatestExportIsDescribedToAuditorsOnly()
    {
        await ExportNowAsync();

        foreach (var role in new[] { Roles.Ministry, Roles.Assessor })
        {
            using var client = api.As(role);
            await (await client.GetAsync("api/audit/exports/latest", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        using var applicant = api.As(Roles.Applicant, organisation: GrantBuilders.NewKvk());
        await (await applicant.GetAsync("api/audit/exports/latest", Ct)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    // --- checking a trail against the export

    [Fact]
    public async Task VerifyOfATrailThatGrewSinceTheExportIsIntactAndNamesTheExport()
    {
        using var ministry = api.As(Roles.Ministry);
        var scheme = await SchemeWithEventsAsync(ministry, 2);
        var export = await ExportNowAsync();
        await RetireAsync(ministry, scheme.Id);

        var verification = await VerifyAsync(scheme.Id);

        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(3, verification.EventCount);
        Assert.Equal(export.Export, verification.CheckedAgainstExport);
        Assert.Equal(2, verification.ExportedSequence);
    }

    [Fact]
    public async Task VerifyOfATrailNoExportRecordedChecksTheChainAlone()
    {
        await ExportNowAsync();
        using var ministry = api.As(Roles.Ministry);
        var scheme = await SchemeWithEventsAsync(ministry, 2);

        var verification = await VerifyAsync(scheme.Id);

        Assert.True(verification.Intact, verification.Problem);
        Assert.Null(verification.CheckedAgainstExport);
        Assert.Null(verification.ExportedSequence);
    }

    [Fact]
    public async Task VerifyFindsAHistoryRewrittenWithFreshHashesAfterTheExport()
    {
        using var ministry = api.As(Roles.Ministry);
        var scheme = await SchemeWithEventsAsync(ministry, 3);
        var export = await ExportNowAsync();

        // Someone with write access to the table changes what the second event says, rehashes it and every
        // event after it, and sets the head on the state row to match: the chain on its own verifies.
        await RewriteAsync(scheme.Id, events => [.. events.Select(e => e.Sequence == 2 ? e with { Payload = """{"name":"A name nobody chose"}""" } : e)]);
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var state = (await table.GetEntityAsync<TableEntity>(scheme.Id, AggregateStore.StateRowKey, cancellationToken: Ct)).Value;
        var rewritten = await new AggregateStore(api.Storage(), TimeProvider.System).AuditTrailAsync(scheme.Id, Ct);
        Assert.True(AuditChain.Verify(rewritten, state.GetInt64("AuditSequence")!.Value, state.GetString("AuditHead")).IsIntact);

        var verification = await VerifyAsync(scheme.Id);

        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Equal(export.Export, verification.CheckedAgainstExport);
        Assert.Contains("rewritten", verification.Problem, StringComparison.Ordinal);
        Assert.Contains(export.Export[..10].Replace('/', '-'), verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFindsATrailCutShortAfterTheExport()
    {
        using var ministry = api.As(Roles.Ministry);
        var scheme = await SchemeWithEventsAsync(ministry, 3);
        await ExportNowAsync();

        // The last event goes, and the state row is set back to the one before it.
        await RewriteAsync(scheme.Id, events => [.. events.Take(2)]);

        var verification = await VerifyAsync(scheme.Id);

        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Contains("recorded 3 events, but the trail holds 2", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFindsATrailRemovedAfterTheExport()
    {
        using var ministry = api.As(Roles.Ministry);
        var scheme = await SchemeWithEventsAsync(ministry, 2);
        await ExportNowAsync();
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == scheme.Id, cancellationToken: Ct))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: Ct);
        }

        var verification = await VerifyAsync(scheme.Id);

        Assert.False(verification.Intact);
        Assert.Equal(0, verification.EventCount);
        Assert.Contains("recorded 2 events, but the trail holds 0", verification.Problem, StringComparison.Ordinal);
    }

    // --- helpers

    /// <summary>A drawn round of six: its ledger reserves the selected, its protocol and announcements are published. Returns the round's id.</summary>
    private async Task<string> DrawnRoundAsync()
    {
        var scenario = new LotteryScenario(api);
        var drawn = await scenario.FrozenRoundAsync();
        await scenario.RevealBothAsync(drawn);
        var status = await (await drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/draw", null, Ct)).ReadDrawAsync(drawn.Ministry);
        if (status.Draw!.HeldForBalance)
        {
            await LotteryScenario.Ok(drawn.Ministry.PostAsync($"api/rounds/{drawn.Round.Id}/lottery/publish", HttpAssertions.Json(new ConfirmPublicationRequest("checked")), Ct));
        }

        return drawn.Round.Id;
    }

    /// <summary>Moves the clock a day, so an export is due, runs the timer and returns what the API then lists as the latest export.</summary>
    private async Task<AuditExportResponse> ExportNowAsync()
    {
        api.Advance(TimeSpan.FromDays(1));
        await api.FireAsync(nameof(ExportAuditEvidence));
        var latest = await LatestAsync();
        Assert.Equal(AuditExportStore.NameFor(api.Clock.GetUtcNow())[..10], latest.Export[..10]);
        return latest;
    }

    private async Task<AuditExportResponse> LatestAsync()
    {
        using var auditor = api.As(Roles.Auditor);
        return await (await auditor.GetAsync("api/audit/exports/latest", Ct)).ReadAsync<AuditExportResponse>();
    }

    private async Task<AuditVerificationResponse> VerifyAsync(string aggregateId)
    {
        using var auditor = api.As(Roles.Auditor);
        return await (await auditor.GetAsync($"api/audit/{aggregateId}/verify", Ct)).ReadAsync<AuditVerificationResponse>();
    }

    private async Task<List<string>> LinesAsync(AuditExportResponse export, string part)
    {
        var text = (await Exports.GetBlobClient($"{export.Export}/{part}").DownloadContentAsync(Ct)).Value.Content.ToString();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>Every committed blob under the prefix, with its ETag and the hash of its bytes.</summary>
    private async Task<Dictionary<string, string>> BlobsAsync(string prefix)
    {
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var blob in Exports.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }, Ct))
        {
            var bytes = (await Exports.GetBlobClient(blob.Name).DownloadContentAsync(Ct)).Value.Content.ToArray();
            blobs[blob.Name] = $"{blob.Properties.ETag} {Convert.ToHexStringLower(SHA256.HashData(bytes))}";
        }

        return blobs;
    }

    private static async Task<SchemeResponse> SchemeWithEventsAsync(HttpClient ministry, int events)
    {
        var (scheme, etag) = await ministry.CreateAsync();
        if (events >= 2)
        {
            var rename = new HttpRequestMessage(HttpMethod.Put, $"api/schemes/{scheme.Id}/name") { Content = HttpAssertions.Json(new RenameSchemeRequest($"Innovation vouchers {Guid.NewGuid():N}"[..30])) };
            rename.Headers.TryAddWithoutValidation("If-Match", etag);
            Assert.Equal(HttpStatusCode.OK, (await ministry.SendAsync(rename, Ct)).StatusCode);
        }

        if (events >= 3)
        {
            await RetireAsync(ministry, scheme.Id);
        }

        return scheme;
    }

    private static async Task RetireAsync(HttpClient ministry, string schemeId) =>
        Assert.Equal(HttpStatusCode.OK, (await ministry.PostAsync($"api/schemes/{schemeId}/retire", HttpAssertions.Json(new RetireSchemeRequest("Stopped in 2011")), Ct)).StatusCode);

    /// <summary>
    /// Replaces an aggregate's trail in the table with <paramref name="rewrite"/> of it, every hash recomputed,
    /// and points its state row at the new head: what someone with write access to the table could do.
    /// </summary>
    private async Task RewriteAsync(string aggregateId, Func<IReadOnlyList<AuditEvent>, IReadOnlyList<AuditEvent>> rewrite)
    {
        var table = await api.Storage().TableAsync(TableNames.Aggregates, Ct);
        var original = await new AggregateStore(api.Storage(), TimeProvider.System).AuditTrailAsync(aggregateId, Ct);
        var head = AuditChain.Genesis;
        var rewritten = new List<AuditEvent>();
        foreach (var e in rewrite(original))
        {
            var again = AuditChain.Append(aggregateId, rewritten.Count, head, e.Type, e.Actor, e.OccurredAt, e.Payload);
            rewritten.Add(again);
            head = again.Hash;
        }

        foreach (var e in original.Where(e => e.Sequence > rewritten.Count))
        {
            await table.DeleteEntityAsync(aggregateId, $"{AggregateStore.AuditRowPrefix}{e.Sequence:D10}", cancellationToken: Ct);
        }

        foreach (var e in rewritten)
        {
            await table.UpdateEntityAsync(new TableEntity(aggregateId, $"{AggregateStore.AuditRowPrefix}{e.Sequence:D10}")
            {
                ["Payload"] = e.Payload,
                ["PayloadHash"] = e.PayloadHash,
                ["PreviousHash"] = e.PreviousHash,
                ["Hash"] = e.Hash,
            }, Azure.ETag.All, TableUpdateMode.Merge, Ct);
        }

        await table.UpdateEntityAsync(new TableEntity(aggregateId, AggregateStore.StateRowKey) { ["AuditSequence"] = (long)rewritten.Count, ["AuditHead"] = head }, Azure.ETag.All, TableUpdateMode.Merge, Ct);
    }
}
