namespace Grants.Domain.Rounds;

/// <summary>
/// What happens to a round that other parts of the programme act on. The round's commands raise them with their
/// change; each feature that has a part in what follows subscribes by name.
/// </summary>
public static class RoundEvents
{
    /// <summary>The round opened: its analysis plan, committed with the configuration, is announced before anything about the draw exists.</summary>
    public const string Opened = "round.opened";

    /// <summary>The round closed, by hand or at its closing time: every applicant is told.</summary>
    public const string Closed = "round.closed";

    /// <summary>Ministry staff asked for the round's pool to be frozen: it is computed, and its applications enter it.</summary>
    public const string PoolFreezeRequested = "round.pool-freeze-requested";

    /// <summary>The budget was raised after the draw and the cut-off moved down the published order: the newly selected are booked and told.</summary>
    public const string CutoffMoved = "round.cutoff-moved";

    /// <summary>Ministry staff asked for the draw, every committed seed revealed: the protocol is computed, and published unless the balance check holds it.</summary>
    public const string DrawRequested = "round.draw-requested";

    /// <summary>Ministry staff confirmed the publication of a draw the balance check held: every applicant is told. (A draw published at once is published by its own work.)</summary>
    public const string DrawPublished = "round.draw-published";
}
