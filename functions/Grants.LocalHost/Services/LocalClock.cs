namespace Grants.LocalHost.Services;

/// <summary>
/// The local host's clock: the system's, moved on by what a developer asked for (<c>POST /admin/clock?days=N</c>),
/// so that what happens months after a draw — follow-up waves, their invitations and reminders, deadlines — can be
/// tried without waiting. It only ever moves forward, as time does. Azure has no such clock.
/// </summary>
public sealed class LocalClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>A clock that reads <paramref name="instant"/> now and runs on from there: for a run whose dates are written down beforehand (docs/api.md's).</summary>
    public static LocalClock StartingAt(DateTimeOffset instant)
    {
        var clock = new LocalClock();
        clock._offsetTicks = (instant - System.GetUtcNow()).Ticks;
        return clock;
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
