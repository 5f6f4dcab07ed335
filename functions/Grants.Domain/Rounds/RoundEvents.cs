namespace Grants.Domain.Rounds;

/// <summary>What happens to a round that other parts of the programme act on; each feature with a part in what follows subscribes by name.</summary>
public static class RoundEvents
{
    /// <summary>The round opened: its analysis plan, committed with the configuration, is announced before anything about the draw exists.</summary>
    public const string Opened = "round.opened";

    /// <summary>The round closed, by hand or at its closing time: every applicant is told.</summary>
    public const string Closed = "round.closed";
}
