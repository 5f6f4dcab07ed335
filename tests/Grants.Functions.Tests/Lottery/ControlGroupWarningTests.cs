using Grants.Functions.Lottery;

namespace Grants.Functions.Tests.Lottery;

/// <summary>The warning before a top-up that shrinks the control group: every value filled in, in percentage points.</summary>
public sealed class ControlGroupWarningTests
{
    [Fact]
    public void StatesHowTheSmallestDetectableEffectGrows() =>
        Assert.Equal("This leaves 8 control units (minimum 10): the smallest effect the evaluation can detect grows from 31.3 percentage points to 45.0 percentage points. Confirm to go ahead.",
            ControlGroupWarning.Describe(8, 10, 0.3125, 0.45));

    [Fact]
    public void SaysNoEffectCanBeDetectedWhenNoControlGroupRemains() =>
        Assert.Equal("This leaves 0 control units (minimum 3): the evaluation could then detect no effect of the scheme at all. Confirm to go ahead.",
            ControlGroupWarning.Describe(0, 3, 0.6, null));

    [Fact]
    public void CountsASingleControlUnitInTheSingularAndAnEffectAboveAHundredPointsAsNone() =>
        Assert.Equal("This leaves 1 control unit (minimum 3): the evaluation could then detect no effect of the scheme at all. Confirm to go ahead.",
            ControlGroupWarning.Describe(1, 3, 0.9, 1.716));
}
