using Azure.Data.Tables;
using Grants.Domain.Applications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Platform;

/// <summary>A round's aggregates are read from its partition of the members table, which never lists one that is not there.</summary>
public sealed class MembershipTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARoundListsItsOwnApplicationsAndPassesOverMembersLeftByCreatesThatDidNotHappen()
    {
        var (round, other) = (await api.OpenRoundAsync(), await api.OpenRoundAsync());
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var mine = await applicant.SubmittedAsync(round.Id);
        var elsewhere = await applicant.SubmittedAsync(other.Id);
        var storage = api.Storage();
        var members = await storage.TableAsync(TableNames.Members, Ct);
        var partition = Memberships.Partition(ApplicationStore.AggregateType, "RoundId", round.Id);

        // A create refused after its membership was written, and a row naming an application of another round.
        await members.UpsertEntityAsync(new TableEntity(partition, Application.IdFor(round.Id, "99999999")), cancellationToken: Ct);
        await members.UpsertEntityAsync(new TableEntity(partition, elsewhere.Id), cancellationToken: Ct);

        var listed = await new AggregateStore(storage, TimeProvider.System).MembersAsync<ApplicationData>(ApplicationStore.AggregateType, "RoundId", round.Id, Ct);

        Assert.Equal([mine.Id], listed.Select(a => a.Id));
        Assert.Equal("Submitted", listed.Single().Status);
    }
}
