using Grants.Domain.Common;
using Stateless;

namespace Grants.Domain.Schemes;

public enum SchemeStatus
{
    Active,
    Retired,
}

/// <summary>How a scheme's money reaches organisations.</summary>
public enum Instrument
{
    ProjectSubsidy,
    Voucher,
}

/// <summary>A scheme's stored data (<i>regeling</i>). Status is data; <see cref="Scheme"/> is the behaviour.</summary>
public sealed record SchemeData(string Id, string Name, Instrument Instrument, string Description, SchemeStatus Status, string? RetiredReason);

/// <summary>
/// A grant scheme such as "ESF-E social innovation" or "Innovation vouchers", under which the
/// ministry opens rounds. Active schemes can be renamed and retired; retired ones are history.
/// </summary>
public sealed class Scheme
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;

    private readonly StateMachine<SchemeStatus, Trigger> _machine;

    public Scheme(SchemeData data)
    {
        Data = data;
        _machine = new StateMachine<SchemeStatus, Trigger>(() => Data.Status, status => Data = Data with { Status = status });
        _machine.Configure(SchemeStatus.Active)
            .PermitReentry(Trigger.Rename)
            .Permit(Trigger.Retire, SchemeStatus.Retired);
        _machine.Configure(SchemeStatus.Retired);
    }

    private enum Trigger
    {
        Rename,
        Retire,
    }

    public SchemeData Data { get; private set; }

    public bool CanRename => _machine.CanFire(Trigger.Rename);

    public bool CanRetire => _machine.CanFire(Trigger.Retire);

    public static Scheme Create(string id, string name, Instrument instrument, string description) =>
        new(new SchemeData(id, name.Trim(), instrument, description.Trim(), SchemeStatus.Active, null));

    public void Rename(string name)
    {
        Fire(Trigger.Rename, "rename");
        Data = Data with { Name = name.Trim() };
    }

    public void Retire(string reason)
    {
        Fire(Trigger.Retire, "retire");
        Data = Data with { RetiredReason = reason.Trim() };
    }

    /// <summary>The state machine as a Mermaid diagram, for docs/.</summary>
    public static string Diagram() =>
        Stateless.Graph.MermaidGraph.Format(new Scheme(new SchemeData("", "", Instrument.ProjectSubsidy, "", SchemeStatus.Active, null))._machine.GetInfo());

    private void Fire(Trigger trigger, string action)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidTransitionException("scheme", Data.Status.ToString(), action);
        }

        _machine.Fire(trigger);
    }
}
