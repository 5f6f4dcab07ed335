using System.Text.RegularExpressions;

namespace Grants.Functions.Platform.Work;

/// <summary>
/// An operation's id says what it does and for which round: <c>op-{kind}-{round id}</c>, and where one round can have
/// several of a kind (a draw's publication, per protocol) the first 16 hexadecimal digits of what tells them apart.
/// Deterministic, so a request that starts work knows where its status is, and a second start finds the first.
/// </summary>
public static partial class OperationIds
{
    public const string Pattern = "op-[a-z]{1,20}(?:-[a-z]{1,20}){0,3}-round-[0-9a-f]{12}(?:-[0-9a-f]{16})?";

    public static string For(string kind, string roundId, string? distinction = null)
    {
        var id = distinction is null ? $"op-{kind}-{roundId}" : $"op-{kind}-{roundId}-{distinction[..Math.Min(16, distinction.Length)]}";
        return IsValid(id) ? id : throw new ArgumentException($"'{id}' is not an operation id: check the kind, the round id and the distinction.");
    }

    /// <summary>Where a client reads the operation's status.</summary>
    public static string Location(string id) => $"/api/operations/{id}";

    public static bool IsValid(string? id) => id is not null && Exact().IsMatch(id);

    [GeneratedRegex("^" + Pattern + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Exact();
}
