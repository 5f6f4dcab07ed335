namespace Grants.Domain.Common;

/// <summary>A command that the aggregate's state machine does not permit in its current status.</summary>
public sealed class InvalidTransitionException : Exception
{
    public InvalidTransitionException(string aggregate, string status, string action)
        : this(aggregate, status, action, $"Cannot {action} {Article(aggregate)} {aggregate} that is {status}.")
    {
    }

    private InvalidTransitionException(string aggregate, string status, string action, string message)
        : base(message)
    {
        Aggregate = aggregate;
        Status = status;
        Action = action;
    }

    public string Aggregate { get; }

    public string Status { get; }

    public string Action { get; }

    /// <summary>
    /// A refusal where the status alone would not tell people what happened or what they can do
    /// instead: <paramref name="explanation"/> is the whole message, in sentences.
    /// </summary>
    public static InvalidTransitionException Because(string aggregate, string status, string action, string explanation) =>
        new(aggregate, status, action, explanation);

    /// <summary>"an application", "a round": the aggregates' names are plain English nouns.</summary>
    private static string Article(string noun) => noun.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(noun[0])) ? "an" : "a";
}
