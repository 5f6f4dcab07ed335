namespace Grants.Functions.Platform.Identity;

/// <summary>
/// Bearer token settings. In Azure: one or more OIDC issuers (Entra ID for staff, an eHerkenning/OIDC
/// broker for organisations). Locally: a development signing key, which the local host supplies and
/// <c>grants dev-token</c> signs with. No key and no issuer means every protected route answers 401.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public string Audience { get; set; } = "grants-api";

    /// <summary>Base64 HMAC key for development tokens; leave empty in Azure.</summary>
    public string? DevelopmentSigningKey { get; set; }

    public string DevelopmentIssuer { get; set; } = "grants-local";

    public List<OidcIssuerOptions> Issuers { get; set; } = [];

    /// <summary>Ministry staff: the Entra ID tenant's v2.0 authority and the app registration's client id as audience.</summary>
    public OidcIssuerOptions Staff { get; set; } = new();

    /// <summary>Organisations and suppliers: the eHerkenning/OIDC broker's authority and the client id registered with it as audience.</summary>
    public OidcIssuerOptions Organisations { get; set; } = new();

    public string RoleClaim { get; set; } = "roles";

    public string OrganisationClaim { get; set; } = "org";
}

public sealed class OidcIssuerOptions
{
    /// <summary>The authority whose <c>/.well-known/openid-configuration</c> names issuer and keys.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Audience expected in tokens of this issuer; falls back to <see cref="AuthOptions.Audience"/>.</summary>
    public string? Audience { get; set; }
}
