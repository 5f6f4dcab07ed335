namespace Grants.Functions.Decisions;

public sealed class DecisionOptions
{
    public const string SectionName = "Decisions";

    /// <summary>Awards above this need a second ministry approver (four eyes). Euro cents; default €100,000.</summary>
    public long FourEyesThresholdCents { get; set; } = 100_000_00;

    /// <summary>How long a grantee has to accept an award before it lapses.</summary>
    public int AcceptanceDays { get; set; } = 28;
}
