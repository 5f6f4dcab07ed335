namespace Grants.Domain.Common;

/// <summary>A command that the aggregate's state machine does not permit in its current status.</summary>
public sealed class InvalidTransitionException(string aggregate, string status, string action)
    : Exception($"Cannot {action} a {aggregate} that is {status}.")
{
    public string Aggregate { get; } = aggregate;

    public string Status { get; } = status;

    public string Action { get; } = action;
}
