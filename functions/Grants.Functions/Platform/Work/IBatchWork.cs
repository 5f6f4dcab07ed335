namespace Grants.Functions.Platform.Work;

/// <summary>
/// A kind of round-wide work done in the background (<see cref="BackgroundOperations"/>): it lists its items once, then
/// does them in batches, then finishes. Every step may run more than once — a message delivered again, a crash halfway —
/// so each must find its work done and change nothing twice.
/// </summary>
public interface IBatchWork
{
    /// <summary>The operation kind, part of its id (lowercase words joined by hyphens).</summary>
    string Kind { get; }

    /// <summary>The items to do, each a short text of the work's own form, and what it cannot do and why; also what must be done once before them.</summary>
    Task<WorkPlan> PlanAsync(OperationRecord operation, CancellationToken cancellationToken);

    Task ProcessAsync(OperationRecord operation, IReadOnlyList<string> items, CancellationToken cancellationToken);

    /// <summary>What follows once every item is done.</summary>
    Task CompleteAsync(OperationRecord operation, CancellationToken cancellationToken);
}

/// <param name="Items">What to do, in order.</param>
/// <param name="Skipped">What the work found it cannot do, each saying what and why (shown on the operation's status).</param>
public sealed record WorkPlan(IReadOnlyList<string> Items, IReadOnlyList<string>? Skipped = null)
{
    /// <summary>Why a rule of the procedure forbids the work as a whole, as the decision it follows recorded it; null when it goes ahead.</summary>
    public string? Refusal { get; private init; }

    /// <summary>The work is refused: the operation ends as Refused with the reason, and nothing is done (no retry changes that).</summary>
    public static WorkPlan Refused(string reason) => new([]) { Refusal = reason };
}

/// <param name="Distinction">What tells apart several operations of a kind for one round (a protocol hash), if anything.</param>
/// <param name="Actor">Who made the decision: the work is recorded in their name.</param>
public sealed record OperationRecord(string Id, string Kind, string RoundId, string? Distinction, string Actor);
