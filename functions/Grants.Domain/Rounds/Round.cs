using Grants.Domain.Common;
using Stateless;

namespace Grants.Domain.Rounds;

/// <summary>design.md §3: a round's life from draft to evaluation.</summary>
public enum RoundStatus
{
    Draft,
    Open,
    Closed,
    PoolFrozen,
    Drawn,
    Deciding,
    Decided,
    FollowUp,
    Evaluated,
}

/// <summary>A round's stored data. The frozen pool itself lives in a write-once blob; its hash is kept here.</summary>
public sealed record RoundData(
    string Id,
    string SchemeId,
    string Name,
    RoundStatus Status,
    RoundConfiguration Configuration,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? PoolFrozenAt,
    string? PoolHash,
    int? PoolSize,
    bool ClosureNoticesSent = false);

/// <summary>
/// A round (<i>tijdvak</i>): configured in Draft, open for applications between its opening and
/// closing times, closed by timer or by hand, then its pool of eligible applications is frozen for
/// the lottery. Later stages (draw, decisions, follow-up, evaluation) continue the same machine.
/// </summary>
public sealed class Round
{
    private readonly StateMachine<RoundStatus, Trigger> _machine;

    public Round(RoundData data)
    {
        Data = data;
        _machine = new StateMachine<RoundStatus, Trigger>(() => Data.Status, status => Data = Data with { Status = status });
        _machine.Configure(RoundStatus.Draft)
            .PermitReentry(Trigger.Configure)
            .Permit(Trigger.Open, RoundStatus.Open);
        _machine.Configure(RoundStatus.Open).Permit(Trigger.Close, RoundStatus.Closed);
        _machine.Configure(RoundStatus.Closed).Permit(Trigger.FreezePool, RoundStatus.PoolFrozen);
        _machine.Configure(RoundStatus.PoolFrozen).Permit(Trigger.RecordDraw, RoundStatus.Drawn);
        _machine.Configure(RoundStatus.Drawn).Permit(Trigger.StartDecisions, RoundStatus.Deciding);
        _machine.Configure(RoundStatus.Deciding).Permit(Trigger.CompleteDecisions, RoundStatus.Decided);
        _machine.Configure(RoundStatus.Decided).Permit(Trigger.StartFollowUp, RoundStatus.FollowUp);
        _machine.Configure(RoundStatus.FollowUp).Permit(Trigger.CompleteEvaluation, RoundStatus.Evaluated);
    }

    private enum Trigger
    {
        Configure,
        Open,
        Close,
        FreezePool,
        RecordDraw,
        StartDecisions,
        CompleteDecisions,
        StartFollowUp,
        CompleteEvaluation,
    }

    public RoundData Data { get; private set; }

    public static Round Create(string id, string schemeId, string name, RoundConfiguration configuration)
    {
        DomainRuleException.ThrowIfAny("The round configuration is not valid.", configuration.Problems());
        return new Round(new RoundData(id, schemeId, name.Trim(), RoundStatus.Draft, configuration with { Version = 1 }, null, null, null, null, null));
    }

    /// <summary>Applications may be created and submitted only while the round is open and inside its window.</summary>
    public bool AcceptsApplications(DateTimeOffset now) =>
        Data.Status == RoundStatus.Open && now >= Data.Configuration.OpensAt && now < Data.Configuration.ClosesAt;

    /// <summary>Why the round does not accept applications now, for the problem response; null when it does.</summary>
    public string? WhyClosedFor(DateTimeOffset now) =>
        AcceptsApplications(now) ? null
        : Data.Status == RoundStatus.Draft ? "The round has not been opened yet."
        : Data.Status == RoundStatus.Open && now < Data.Configuration.OpensAt ? $"The round opens at {AmsterdamTime.ToLocal(Data.Configuration.OpensAt):yyyy-MM-dd HH:mm} (Amsterdam time)."
        : $"The round closed at {AmsterdamTime.ToLocal(Data.ClosedAt ?? Data.Configuration.ClosesAt):yyyy-MM-dd HH:mm} (Amsterdam time).";

    public bool IsDueToClose(DateTimeOffset now) => Data.Status == RoundStatus.Open && now >= Data.Configuration.ClosesAt;

    public void Configure(RoundConfiguration configuration)
    {
        Fire(Trigger.Configure, "change the configuration of");
        DomainRuleException.ThrowIfAny("The round configuration is not valid.", configuration.Problems());
        Data = Data with { Configuration = configuration with { Version = Data.Configuration.Version + 1 } };
    }

    public void Open(DateTimeOffset now)
    {
        if (Data.Status == RoundStatus.Draft && Data.Configuration.ClosesAt <= now)
        {
            throw new DomainRuleException("closesAt", "is in the past; a round must close after it opens");
        }

        Fire(Trigger.Open, "open");
        Data = Data with { OpenedAt = now };
    }

    public void Close(DateTimeOffset now)
    {
        Fire(Trigger.Close, "close");
        Data = Data with { ClosedAt = now };
    }

    /// <param name="undecided">Submitted applications still without an eligibility decision: any blocks the freeze.</param>
    public void FreezePool(int undecided, string poolHash, int poolSize, DateTimeOffset now)
    {
        if (Data.Status == RoundStatus.Closed && undecided > 0)
        {
            throw new DomainRuleException("pool", $"{undecided} submitted application(s) still need an eligibility decision");
        }

        Fire(Trigger.FreezePool, "freeze the pool of");
        Data = Data with { PoolFrozenAt = now, PoolHash = poolHash, PoolSize = poolSize };
    }

    /// <summary>Every applicant has been told the round closed (the notices go out per application).</summary>
    public void MarkClosureNoticesSent()
    {
        if (Data.ClosedAt is null)
        {
            throw new InvalidTransitionException("round", Data.Status.ToString(), "send closure notices for");
        }

        Data = Data with { ClosureNoticesSent = true };
    }

    public void RecordDraw() => Fire(Trigger.RecordDraw, "record a draw for");

    public void StartDecisions() => Fire(Trigger.StartDecisions, "start decisions for");

    public void CompleteDecisions() => Fire(Trigger.CompleteDecisions, "complete decisions for");

    public void StartFollowUp() => Fire(Trigger.StartFollowUp, "start follow-up for");

    public void CompleteEvaluation() => Fire(Trigger.CompleteEvaluation, "complete the evaluation of");

    public static string Diagram() => Stateless.Graph.MermaidGraph.Format(Sample()._machine.GetInfo());

    private static Round Sample() => new(new RoundData("", "", "", RoundStatus.Draft, null!, null, null, null, null, null));

    private void Fire(Trigger trigger, string action)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidTransitionException("round", Data.Status.ToString(), action);
        }

        _machine.Fire(trigger);
    }
}
