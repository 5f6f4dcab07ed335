namespace Grants.Functions.Platform.Identity;

/// <summary>The roles a bearer token can carry (design.md §1).</summary>
public static class Roles
{
    public const string Applicant = "applicant";
    public const string Assessor = "assessor";
    public const string Ministry = "ministry";
    public const string Supplier = "supplier";
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Applicant, Assessor, Ministry, Supplier, Auditor];
}
