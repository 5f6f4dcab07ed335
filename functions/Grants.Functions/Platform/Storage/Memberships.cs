namespace Grants.Functions.Platform.Storage;

/// <summary>
/// The owners an aggregate belongs to for good — its round, scheme, organisation or application — each a partition
/// of the members table listing the ids of its aggregates of one type (docs/decisions/0018). A round's applications
/// are then one partition read and a point read each, however many other rounds the account holds, where a filter
/// on the state rows reads every row of every aggregate. A membership is written before its aggregate and never
/// trusted alone (as a <see cref="LookupStore"/> look-up): a row left by a create that did not happen finds nothing.
/// </summary>
public static class Memberships
{
    /// <summary>The index columns that name an owner, set when the aggregate is created and never changed.</summary>
    public static IReadOnlySet<string> Owners { get; } = new HashSet<string>(StringComparer.Ordinal) { "RoundId", "SchemeId", "Kvk", "ApplicationId" };

    /// <summary>Point reads of one owner's members at a time.</summary>
    public const int ReadsInFlight = 16;

    /// <summary>The partition listing the aggregates of <paramref name="type"/> whose <paramref name="owner"/> column is <paramref name="value"/>.</summary>
    public static string Partition(string type, string owner, string value) => $"{type}|{owner}|{value}";
}
