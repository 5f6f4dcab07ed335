namespace Grants.Domain.Common;

/// <summary>A command that the aggregate's state machine does not permit in its current status.</summary>
public sealed class InvalidTransitionException(string aggregate, string status, string action)
    : Exception($"Cannot {action} {Article(aggregate)} {aggregate} that is {status}.")
{
    public string Aggregate { get; } = aggregate;

    public string Status { get; } = status;

    public string Action { get; } = action;

    /// <summary>"an application", "a round": the aggregates' names are plain English nouns.</summary>
    private static string Article(string noun) => noun.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(noun[0])) ? "an" : "a";
}
