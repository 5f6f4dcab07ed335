namespace Grants.Functions.Platform.Identity;

/// <summary>
/// Bearer token settings (docs/decisions/0004). In Azure: two OIDC issuers, each trusted for its own
/// part — the ministry's Entra ID tenant for staff, the eHerkenning/OIDC broker for organisations
/// (<see cref="IssuerTrust"/>). Locally: a development signing key, which only the local host accepts
/// and <c>grants dev-token</c> signs with; any other host refuses to start when it is set.
/// An issuer without an authority is not trusted at all; with none, every protected route answers 401.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The ministry's Entra ID tenant (its v2.0 authority): staff roles only.</summary>
    public OidcIssuerOptions Staff { get; set; } = new();

    /// <summary>The organisations' eHerkenning/OIDC broker: applicant and supplier only, and the only source of <c>org</c>.</summary>
    public OidcIssuerOptions Organisations { get; set; } = new();

    /// <summary>Base64 HMAC key for development tokens; the local host's alone, refused anywhere else.</summary>
    public string? DevelopmentSigningKey { get; set; }

    public string DevelopmentIssuer { get; set; } = "grants-local";

    /// <summary>Audience of development tokens.</summary>
    public string Audience { get; set; } = "grants-api";

    public string RoleClaim { get; set; } = "roles";

    public string OrganisationClaim { get; set; } = "org";
}

public sealed class OidcIssuerOptions
{
    /// <summary>The authority whose <c>/.well-known/openid-configuration</c> names issuer and keys; empty: not trusted.</summary>
    public string Authority { get; set; } = "";

    /// <summary>
    /// The audience this issuer puts in tokens for Grants. Entra ID v2.0 access tokens carry the
    /// application (client) id of the app registration, not its application ID URI.
    /// </summary>
    public string Audience { get; set; } = "";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);
}
