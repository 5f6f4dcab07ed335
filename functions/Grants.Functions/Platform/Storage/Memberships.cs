namespace Grants.Functions.Platform.Storage;

/// <summary>
/// What belongs to an owner whose members' ids do not derive from its own: a scheme's rounds, an application's
/// surveys. Each owner is a partition of the members table listing the ids of its aggregates of one type
/// (docs/decisions/0018). A membership is written before its aggregate and never trusted alone (as a
/// <see cref="LookupStore"/> look-up): a row left by a create that did not happen finds nothing. A round's own
/// aggregates need none: their ids begin with the round's, so they are a range of partition keys
/// (<see cref="AggregateStore.InKeyRangeAsync{TState}"/>).
/// </summary>
public static class Memberships
{
    /// <summary>The index columns that name an owner, set when the aggregate is created and never changed.</summary>
    public static IReadOnlySet<string> Owners { get; } = new HashSet<string>(StringComparer.Ordinal) { "SchemeId", "ApplicationId" };

    /// <summary>Point reads of one owner's members at a time.</summary>
    public const int ReadsInFlight = 16;

    /// <summary>The partition listing the aggregates of <paramref name="type"/> whose <paramref name="owner"/> column is <paramref name="value"/>.</summary>
    public static string Partition(string type, string owner, string value) => $"{type}|{owner}|{value}";

    /// <summary>
    /// The statuses a timer looks for, by aggregate type: an aggregate in one is listed in the partition
    /// <c>{type}|Status|{status}</c> as well — inserted before the commit that enters the status, removed after the
    /// commit that leaves it — so the timer reads that partition instead of every row. The list is a hint, checked
    /// against each aggregate when read; a row left behind (its commit failed, or its removal did) is removed then.
    /// </summary>
    public static IReadOnlySet<(string Type, string Status)> WatchedStatuses { get; } = new HashSet<(string, string)> { ("round", "Open") };

    /// <summary>The partition listing the aggregates of <paramref name="type"/> in <paramref name="status"/>, when that status is watched.</summary>
    public static string? StatusPartition(string type, string status) => WatchedStatuses.Contains((type, status)) ? Partition(type, "Status", status) : null;
}
