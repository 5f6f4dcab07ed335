namespace Grants.Functions.Platform.Identity;

/// <summary>The roles a bearer token can carry (docs/design.md §1).</summary>
public static class Roles
{
    public const string Applicant = "applicant";
    public const string Assessor = "assessor";
    public const string Ministry = "ministry";
    public const string Supplier = "supplier";
    public const string Auditor = "auditor";

    /// <summary>A second, independent party to the lottery (e.g. a notary) who commits and reveals its own seed.</summary>
    public const string Notary = "notary";

    public static IReadOnlyList<string> All { get; } = [Applicant, Assessor, Ministry, Supplier, Auditor, Notary];
}
