namespace Grants.Evaluation.Estimators;

/// <summary>A unit for instrumental-variable estimation: outcome, assignment (the instrument), treatment actually received, weight.</summary>
public readonly record struct ComplianceUnit(double Y, bool Assigned, bool Treated, double Weight);

/// <summary>Mean outcomes of compliers without and with the subsidy.</summary>
public sealed record ComplierMeans(double Untreated, double Treated, double ComplierShare, string Method);

/// <summary>
/// Winners who decline and losers funded later (through the reserve list or another scheme) dilute the
/// intention-to-treat effect. The complier average causal effect (CACE) is the effect on those who take
/// the subsidy when offered and only then: the Wald/Bloom ratio ITT_Y / ITT_D (Gerber &amp; Green 2012,
/// ch. 5), estimated by just-identified two-stage least squares with the assignment as instrument. The
/// standard error is the HC2 sandwich of that 2SLS fit, as estimatr::iv_robust(se_type = "HC2")
/// computes it; with the lottery weights when probabilities differ.
/// </summary>
public static class NonCompliance
{
    public const string CaceMethod = "Complier average causal effect: Wald/Bloom ratio ITT_Y/ITT_D by 2SLS (assignment instruments receipt), HC2 standard error";
    /// <summary>
    /// Below this complier share the offer hardly changes who gets the subsidy (a weak instrument): the
    /// ratio would blow a small ITT up into a meaningless number, so no CACE is reported.
    /// </summary>
    public const double MinimumComplierShare = 0.05;

    public const string ComplierMeansMethod = "Complier means under monotonicity (Imbens & Rubin 1997): E[Y·D] and E[Y·(1−D)] contrasts divided by the complier share";

    public static Estimate? Cace(IReadOnlyList<ComplianceUnit> units, double alpha = 0.05)
    {
        var assigned = units.Where(u => u.Assigned).ToArray();
        var control = units.Where(u => !u.Assigned).ToArray();
        var complierShare = Mean(assigned, u => u.Treated ? 1 : 0) - Mean(control, u => u.Treated ? 1 : 0);
        if (assigned.Length == 0 || control.Length == 0 || complierShare < MinimumComplierShare)
        {
            return null;
        }

        var beta = (Mean(assigned, u => u.Y) - Mean(control, u => u.Y)) / complierShare;
        var intercept = Mean(control, u => u.Y) - (beta * Mean(control, u => u.Treated ? 1 : 0));
        double Residual(ComplianceUnit u) => u.Y - intercept - (beta * (u.Treated ? 1 : 0));

        // The fitted first stage spans the same space as [1, assigned], so the second-stage hat values
        // are wᵢ/W of each arm; the slope's sandwich is that of a difference of means divided by ITT_D².
        var variance = (Weighted.GroupHc2(assigned.Select(u => (Residual(u), u.Weight)).ToArray(), 0)
                        + Weighted.GroupHc2(control.Select(u => (Residual(u), u.Weight)).ToArray(), 0))
                       / (complierShare * complierShare);
        return Weighted.WithTInterval(beta, Math.Sqrt(variance), units.Count - 2, CaceMethod, alpha);
    }

    /// <summary>
    /// With D the receipt and Z the assignment: the complier share π = E[D|Z=1] − E[D|Z=0]; the treated
    /// complier mean (E[YD|Z=1] − E[YD|Z=0])/π and the untreated one (E[Y(1−D)|Z=0] − E[Y(1−D)|Z=1])/π.
    /// Their difference is the Wald estimate.
    /// </summary>
    public static ComplierMeans? Means(IReadOnlyList<ComplianceUnit> units)
    {
        var assigned = units.Where(u => u.Assigned).ToArray();
        var control = units.Where(u => !u.Assigned).ToArray();
        var share = Mean(assigned, u => u.Treated ? 1 : 0) - Mean(control, u => u.Treated ? 1 : 0);
        if (assigned.Length == 0 || control.Length == 0 || share < MinimumComplierShare)
        {
            return null;
        }

        var treated = (Mean(assigned, u => u.Treated ? u.Y : 0) - Mean(control, u => u.Treated ? u.Y : 0)) / share;
        var untreated = (Mean(control, u => u.Treated ? 0 : u.Y) - Mean(assigned, u => u.Treated ? 0 : u.Y)) / share;
        return new ComplierMeans(untreated, treated, share, ComplierMeansMethod);
    }

    private static double Mean(IEnumerable<ComplianceUnit> units, Func<ComplianceUnit, double> value) =>
        Weighted.Mean(units.Select(u => (value(u), u.Weight)));
}
