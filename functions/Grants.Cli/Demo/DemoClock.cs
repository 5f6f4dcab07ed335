namespace Grants.Cli.Demo;

/// <summary>
/// The demo's clock: real time plus an offset the demo moves forward, so that a follow-up wave twelve
/// months after the draw can open in the same run. The product itself always runs on the system clock.
/// </summary>
public sealed class DemoClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;

    public void Advance(TimeSpan by) => _offset += by;

    public void AdvanceTo(DateTimeOffset instant)
    {
        if (instant > GetUtcNow())
        {
            _offset += instant - GetUtcNow();
        }
    }
}
