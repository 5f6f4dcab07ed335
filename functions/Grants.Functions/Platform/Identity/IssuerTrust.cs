namespace Grants.Functions.Platform.Identity;

/// <summary>
/// What a token issuer is trusted to say about its callers. Roles it may not grant are dropped, an
/// organisation is read only from an issuer that speaks for organisations, and every subject is kept
/// in its issuer's namespace, so that no issuer can act as another's user (committee membership, the
/// chair, the four-eyes rule and idempotency keys all go by subject).
/// </summary>
/// <param name="Namespace">Prefix of the subjects of this issuer (<c>staff:…</c>); null for development tokens, which exist only on the local host.</param>
/// <param name="Roles">The roles this issuer may grant.</param>
/// <param name="NamesOrganisation">Whether this issuer's <c>org</c> claim names the organisation the caller acts for.</param>
/// <param name="SubjectClaim">The claim that identifies the person: Entra ID's object id, the broker's subject.</param>
public sealed record IssuerTrust(string? Namespace, IReadOnlySet<string> Roles, bool NamesOrganisation, string SubjectClaim)
{
    /// <summary>The ministry's Entra ID tenant: its own staff and the parties it admits (assessors, auditors, a notary).</summary>
    public static IssuerTrust Staff { get; } = new(
        "staff", new HashSet<string>([Identity.Roles.Ministry, Identity.Roles.Assessor, Identity.Roles.Auditor, Identity.Roles.Notary], StringComparer.Ordinal), false, "oid");

    /// <summary>The broker through which organisations sign in (eHerkenning): applicants and suppliers, each for one KvK number.</summary>
    public static IssuerTrust Organisations { get; } = new(
        "organisations", new HashSet<string>([Identity.Roles.Applicant, Identity.Roles.Supplier], StringComparer.Ordinal), true, "sub");

    /// <summary>The local host's development issuer, which stands in for both.</summary>
    public static IssuerTrust Development { get; } = new(null, new HashSet<string>(Identity.Roles.All, StringComparer.Ordinal), true, "sub");

    public string SubjectOf(string subject) => Namespace is null ? subject : $"{Namespace}:{subject}";
}
