using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Grants.Functions.Platform.Identity;

/// <summary>
/// Validates bearer tokens in the app itself, so both hosts behave the same and no identity header
/// from a client is ever trusted.
/// </summary>
public sealed class TokenValidator(IOptions<AuthOptions> options, TimeProvider time, ILogger<TokenValidator> logger)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _oidc = new();

    public async Task<Caller?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        JsonWebToken unverified;
        try
        {
            unverified = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var parameters = await ParametersForIssuer(settings, unverified.Issuer, cancellationToken);
        if (parameters is null)
        {
            logger.LogInformation("Rejected a token from unknown issuer {Issuer}", unverified.Issuer);
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            logger.LogInformation("Rejected a token from {Issuer}: {Reason}", unverified.Issuer, result.Exception?.Message);
            return null;
        }

        var identity = result.ClaimsIdentity;
        var subject = identity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? identity.FindFirst("oid")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }

        var roles = identity.FindAll(settings.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var organisation = identity.FindFirst(settings.OrganisationClaim)?.Value;
        if (string.IsNullOrWhiteSpace(organisation))
        {
            // An applicant always acts for one organisation; without it nothing could be scoped to it.
            roles.Remove(Roles.Applicant);
            organisation = null;
        }

        return new Caller(subject, roles, organisation);
    }

    private async Task<TokenValidationParameters?> ParametersForIssuer(AuthOptions settings, string issuer, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(settings.DevelopmentSigningKey) && issuer == settings.DevelopmentIssuer)
        {
            return Parameters(settings.DevelopmentIssuer, settings.Audience, [DevelopmentTokens.SigningKey(settings.DevelopmentSigningKey)]);
        }

        foreach (var configured in settings.Issuers)
        {
            var manager = _oidc.GetOrAdd(configured.Authority, authority => new ConfigurationManager<OpenIdConnectConfiguration>(
                authority.TrimEnd('/') + "/.well-known/openid-configuration",
                new OpenIdConnectConfigurationRetriever(),
                new HttpDocumentRetriever { RequireHttps = true }));
            var configuration = await manager.GetConfigurationAsync(cancellationToken);
            if (configuration.Issuer == issuer)
            {
                return Parameters(configuration.Issuer, configured.Audience ?? settings.Audience, configuration.SigningKeys);
            }
        }

        return null;
    }

    private TokenValidationParameters Parameters(string issuer, string audience, IEnumerable<SecurityKey> keys) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        IssuerSigningKeys = keys,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromMinutes(2),
        LifetimeValidator = (notBefore, expires, _, p) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore.Value - p.ClockSkew <= now) && expires is not null && now <= expires.Value + p.ClockSkew;
        },
    };
}
