namespace Grants.Domain.Common;

/// <summary>
/// A command that the aggregate's state machine does not permit in its current status. The message is
/// one sentence: what cannot be done to what, and — when given — what it would need first; or, where
/// the status alone would not tell people what happened, an explanation of its own (<see cref="Because"/>).
/// </summary>
public sealed class InvalidTransitionException : Exception
{
    /// <param name="requirement">What the command needs, said after the refusal: "the pool must be frozen first".</param>
    public InvalidTransitionException(string aggregate, string status, string action, string? requirement = null)
        : this(aggregate, status, action, requirement, $"Cannot {action} {English.WithArticle(aggregate)} that is {status}{(requirement is null ? "" : $": {requirement}")}.")
    {
    }

    private InvalidTransitionException(string aggregate, string status, string action, string? requirement, string message)
        : base(message)
    {
        Aggregate = aggregate;
        Status = status;
        Action = action;
        Requirement = requirement;
    }

    public string Aggregate { get; }

    public string Status { get; }

    public string Action { get; }

    public string? Requirement { get; }

    /// <summary>
    /// A refusal where the status alone would not tell people what happened or what they can do
    /// instead: <paramref name="explanation"/> is the whole message, in sentences.
    /// </summary>
    public static InvalidTransitionException Because(string aggregate, string status, string action, string explanation) =>
        new(aggregate, status, action, null, explanation);
}
