using System.Net;
using Azure;
using Azure.Data.Tables;
using Grants.Cli.Commands;
using Grants.Contracts.Assessments;
using Grants.Domain.Rounds;
using Grants.Functions.Assessments;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Grants.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// docs/decisions/0018: the index rows are written again from what they index by <c>grants storage repair-indexes</c>,
/// for a store written before an index existed or one whose index rows were lost. In a host of its own, whose index
/// tables the test empties: the scheme's rounds, the open rounds, the receipt waiting to go out, a member's committees
/// and a remembered response are each found again, and a second run writes nothing.
/// </summary>
public sealed class IndexRepairTests(QuietGrantsApi api) : IClassFixture<QuietGrantsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryIndexIsWrittenAgainFromWhatItIndexesAndASecondRunWritesNothing()
    {
        var round = await api.OpenRoundAsync();
        var kvk = GrantBuilders.NewKvk();
        using var applicant = await api.RegisteredApplicantAsync(kvk);
        var application = await applicant.SubmittedAsync(round.Id);
        var member = $"anna-{Guid.NewGuid():N}";
        var staff = $"beleidsmedewerker-{Guid.NewGuid():N}";
        var key = Guid.NewGuid().ToString();
        var reservation = IdempotentRequests.OperationId(new Caller(staff, new HashSet<string> { Roles.Ministry }, null), key);
        using var ministry = api.As(Roles.Ministry, subject: staff);
        Assert.Equal(HttpStatusCode.OK, (await ministry.PutAsync($"api/rounds/{round.Id}/committee",
            HttpAssertions.Json(new SetCommitteeRequest("voorzitter", [member, "bram"], [new("quality", "Quality of the plan", 1, 5, 1)], 3.0)), Ct)).StatusCode);
        // A command with an Idempotency-Key, whose response is remembered: another round's close.
        using var close = new HttpRequestMessage(HttpMethod.Post, $"api/rounds/{(await api.OpenRoundAsync()).Id}/close");
        close.Headers.Add(IdempotentRequests.HeaderName, key);
        Assert.Equal(HttpStatusCode.Accepted, (await ministry.SendAsync(close, Ct)).StatusCode);
        var storage = api.Storage();
        Assert.Equal(new Found(true, true, true, true, true), await FoundAsync());

        // Lost, or never written: every index row of the store.
        await EmptyAsync(await storage.TableAsync(TableNames.Members, Ct), _ => true);
        await EmptyAsync(await storage.TableAsync(TableNames.Operations, Ct), row => row.PartitionKey.StartsWith("outbox-due-", StringComparison.Ordinal));
        await EmptyAsync(await storage.TableAsync(TableNames.Idempotency, Ct), row => row.PartitionKey.StartsWith("forget-", StringComparison.Ordinal));
        Assert.Equal(new Found(false, false, false, false, false), await FoundAsync());

        var first = await RepairAsync();
        var second = await RepairAsync();

        Assert.Equal(new Found(true, true, true, true, true), await FoundAsync());
        Assert.Equal(4, first.Length);
        Assert.All(first, line => Assert.DoesNotContain(": 0 missing", line, StringComparison.Ordinal));
        Assert.Equal(4, second.Length);
        Assert.All(second, line => Assert.EndsWith(": 0 missing, written now", line, StringComparison.Ordinal));
        // The receipt goes out through its pointer, and the response is forgotten through its note.
        await api.FireAsync(nameof(Grants.Functions.Platform.Mail.RelayOutbox));
        await api.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == GrantBuilders.ContactEmail(kvk)));
        await api.Host.App.Services.GetRequiredService<IdempotentRequests>().ForgetAsync(DateTimeOffset.UtcNow.AddDays(1), Ct);
        Assert.False((await (await storage.TableAsync(TableNames.Idempotency, Ct)).GetEntityIfExistsAsync<TableEntity>(reservation, "", cancellationToken: Ct)).HasValue);

        // What each index serves, read as the product reads it.
        async Task<Found> FoundAsync()
        {
            var store = new AggregateStore(storage, TimeProvider.System);
            var rounds = await store.MembersAsync<RoundData>(RoundStore.AggregateType, "SchemeId", round.SchemeId, Ct);
            var open = await store.InWatchedStatusAsync<RoundData>(RoundStore.AggregateType, "Open", Ct);
            var committees = await new CommitteeStore(store).OfMemberAsync(member, Ct);
            var pointers = (await new OutboxIndex(storage).DuePagesAsync(OutboxIndex.Mail, DateTimeOffset.UtcNow, Ct).ToListAsync(Ct)).SelectMany(page => page);
            var notes = await CountAsync(await storage.TableAsync(TableNames.Idempotency, Ct), row => row.PartitionKey.StartsWith("forget-", StringComparison.Ordinal) && row.RowKey.EndsWith(reservation, StringComparison.Ordinal));
            return new Found(rounds.Any(r => r.Id == round.Id), open.Any(r => r.Id == round.Id), committees.Any(c => c.State.RoundId == round.Id),
                pointers.Any(p => p.AggregateId == application.Id), notes == 1);
        }
    }

    private sealed record Found(bool SchemesRounds, bool OpenRounds, bool MembersCommittees, bool ReceiptsPointer, bool ResponsesNote);

    /// <summary>The command as an operator runs it, against this host's storage; its report, a line per index.</summary>
    private async Task<string[]> RepairAsync()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, await StorageCommand.RepairIndexesAsync(api.StorageConnectionString, stdout, stderr, Ct));
        Assert.Equal("", stderr.ToString());
        return stdout.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task EmptyAsync(TableClient table, Func<TableEntity, bool> which)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            if (which(row))
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, Ct);
            }
        }
    }

    private static async Task<int> CountAsync(TableClient table, Func<TableEntity, bool> which)
    {
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            count += which(row) ? 1 : 0;
        }

        return count;
    }
}
