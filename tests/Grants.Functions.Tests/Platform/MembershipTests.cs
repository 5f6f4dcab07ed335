using System.Net;
using Azure.Data.Tables;
using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Execution;
using Grants.Domain.FollowUp;
using Grants.Domain.Rounds;
using Grants.Domain.Vouchers;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// Lists without reading the whole account (docs/decisions/0018): a round's aggregates are the range of keys that
/// begins with the round's; a scheme's rounds are its partition of the members table, which never lists one that is not there.
/// </summary>
public sealed class MembershipTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void EverythingOfARoundHasAnIdThatBeginsWithTheRounds()
    {
        const string round = "round-0123456789ab";
        var application = Application.IdFor(round, "12345678");
        var prefix = Application.IdPrefixFor(round);

        Assert.StartsWith(prefix, application, StringComparison.Ordinal);
        Assert.StartsWith(Assessment.IdFor(prefix), Assessment.IdFor(application), StringComparison.Ordinal);
        Assert.StartsWith(Voucher.IdFor(prefix), Voucher.IdFor(application), StringComparison.Ordinal);
        Assert.StartsWith(GrantAgreement.IdFor(prefix), GrantAgreement.IdFor(application), StringComparison.Ordinal);
        Assert.StartsWith(Survey.IdPrefixFor(round), Survey.IdFor(round, "P-0123456789", 1), StringComparison.Ordinal);
        Assert.DoesNotContain('~', application);
        Assert.False(Application.IdFor("round-0123456789ac", "12345678").StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARoundListsItsOwnApplicationsAndNoOtherRounds()
    {
        var (round, other) = (await api.OpenRoundAsync(), await api.OpenRoundAsync());
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var mine = await applicant.SubmittedAsync(round.Id);
        await applicant.SubmittedAsync(other.Id);

        var listed = await new ApplicationStore(new AggregateStore(api.Storage(), TimeProvider.System), null!).OfRoundAsync(round.Id, Ct);

        Assert.Equal([mine.Id], listed.Select(a => a.Id));
    }

    [Fact]
    public async Task ASchemeListsItsRoundsAndPassesOverMembersLeftByCreatesThatDidNotHappen()
    {
        var (round, other) = (await api.OpenRoundAsync(), await api.OpenRoundAsync());
        var storage = api.Storage();
        var members = await storage.TableAsync(TableNames.Members, Ct);
        var partition = Memberships.Partition(RoundStore.AggregateType, "SchemeId", round.SchemeId);

        // A create refused after its membership was written, and a row naming a round of another scheme.
        await members.UpsertEntityAsync(new TableEntity(partition, "round-000000000000"), cancellationToken: Ct);
        await members.UpsertEntityAsync(new TableEntity(partition, other.Id), cancellationToken: Ct);

        var listed = await new AggregateStore(storage, TimeProvider.System).MembersAsync<RoundData>(RoundStore.AggregateType, "SchemeId", round.SchemeId, Ct);

        Assert.Equal([round.Id], listed.Select(r => r.Id));
    }

    /// <summary>The closing timer reads the open rounds from their partition; a row left by a round that closed, or by one never written, goes when read.</summary>
    [Fact]
    public async Task TheOpenRoundsAreReadFromTheirPartitionAndRowsLeftBehindGo()
    {
        var (open, closed) = (await api.OpenRoundAsync(), await api.OpenRoundAsync());
        using var ministry = api.As(Grants.Functions.Platform.Identity.Roles.Ministry);
        await (await ministry.PostAsync($"api/rounds/{closed.Id}/close", null, Ct)).ReadAsync<Grants.Contracts.Rounds.RoundResponse>(HttpStatusCode.Accepted);
        var storage = api.Storage();
        var members = await storage.TableAsync(TableNames.Members, Ct);
        var partition = Memberships.StatusPartition(RoundStore.AggregateType, "Open")!;
        Assert.Null(await RowAsync(members, partition, closed.Id));
        await members.UpsertEntityAsync(new TableEntity(partition, closed.Id), cancellationToken: Ct);
        await members.UpsertEntityAsync(new TableEntity(partition, "round-000000000000"), cancellationToken: Ct);

        var listed = await new AggregateStore(storage, TimeProvider.System).InWatchedStatusAsync<RoundData>(RoundStore.AggregateType, "Open", Ct);

        Assert.Contains(open.Id, listed.Select(r => r.Id));
        Assert.DoesNotContain(closed.Id, listed.Select(r => r.Id));
        Assert.Null(await RowAsync(members, partition, closed.Id));
        Assert.Null(await RowAsync(members, partition, "round-000000000000"));
        Assert.NotNull(await RowAsync(members, partition, open.Id));
    }

    private static async Task<TableEntity?> RowAsync(TableClient table, string partition, string row) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: Ct)) is { HasValue: true } found ? found.Value : null;
}
