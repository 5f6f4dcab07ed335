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
}
