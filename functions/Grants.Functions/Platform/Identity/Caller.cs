namespace Grants.Functions.Platform.Identity;

/// <summary>Who is calling, as established from a validated bearer token.</summary>
/// <param name="Subject">The token's subject: a stable id for the person or system.</param>
/// <param name="Roles">Roles granted by the issuer.</param>
/// <param name="Organisation">For applicants and suppliers: the KvK number they act for.</param>
public sealed record Caller(string Subject, IReadOnlySet<string> Roles, string? Organisation)
{
    public static Caller Anonymous { get; } = new("anonymous", new HashSet<string>(), null);

    public bool IsAuthenticated => !ReferenceEquals(this, Anonymous);

    public bool HasRole(string role) => Roles.Contains(role);

    /// <summary>How the audit trail names this caller.</summary>
    public string AuditName => Organisation is null ? Subject : $"{Subject}@{Organisation}";
}
