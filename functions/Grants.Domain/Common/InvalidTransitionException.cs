namespace Grants.Domain.Common;

/// <summary>
/// A command that the aggregate's state machine does not permit in its current status. The message is
/// one sentence: what cannot be done to what, and — when given — what it would need first.
/// </summary>
/// <param name="requirement">What the command needs, said after the refusal: "the pool must be frozen first".</param>
public sealed class InvalidTransitionException(string aggregate, string status, string action, string? requirement = null)
    : Exception($"Cannot {action} {English.WithArticle(aggregate)} that is {status}{(requirement is null ? "" : $": {requirement}")}.")
{
    public string Aggregate { get; } = aggregate;

    public string Status { get; } = status;

    public string Action { get; } = action;

    public string? Requirement { get; } = requirement;
}
