using Grants.Evaluation.Estimators;

namespace Grants.Evaluation.Tests;

public sealed class MultiplicityTests
{
    [Fact]
    public void HolmMultipliesByRemainingHypothesesAndStaysMonotone()
    {
        // By hand: sorted 0.01·5 = 0.05, 0.02·4 = 0.08, 0.03·3 = 0.09, 0.04·2 = 0.08 → 0.09, 0.05·1 = 0.05 → 0.09.
        var adjusted = Multiplicity.Holm([0.03, 0.01, 0.05, 0.02, 0.04]);
        Assert.Equal([0.09, 0.05, 0.09, 0.08, 0.09], adjusted.Select(p => Math.Round(p, 10)));
    }

    [Fact]
    public void HolmCapsAtOneAndKeepsASingleTestAsIs()
    {
        Assert.Equal([1.0, 1.0], Multiplicity.Holm([0.6, 0.7]));
        Assert.Equal([0.0123], Multiplicity.Holm([0.0123]));
    }
}
