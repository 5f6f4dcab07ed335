namespace Grants.Domain.Rounds;

/// <summary>
/// A top-up would select someone and leave fewer control units than the round's minimum, and ministry staff have not
/// confirmed having seen what that costs the evaluation.
/// </summary>
public sealed class ControlGroupTooSmallException(int controlAfter, int minimum)
    : Exception($"The top-up would leave {controlAfter} in the control group, fewer than the round's minimum of {minimum}.")
{
    public int ControlAfter { get; } = controlAfter;

    public int Minimum { get; } = minimum;
}
