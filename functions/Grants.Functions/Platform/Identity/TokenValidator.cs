using Grants.Domain.Organisations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grants.Functions.Platform.Identity;

/// <summary>
/// Validates bearer tokens in the app itself, so both hosts behave the same and no identity header
/// from a client is ever trusted (docs/decisions/0004). Each issuer is trusted only for what
/// <see cref="IssuerTrust"/> allows it to say; an issuer that cannot be reached does not stop the others.
/// </summary>
public sealed class TokenValidator(IEnumerable<ITokenIssuer> issuers, IOptions<AuthOptions> options, ILogger<TokenValidator> logger)
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly IReadOnlyList<ITokenIssuer> _issuers = [.. issuers];

    public async Task<Caller?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        JsonWebToken unverified;
        try
        {
            unverified = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return null;
        }

        foreach (var issuer in _issuers)
        {
            TokenValidationParameters? parameters;
            try
            {
                parameters = await issuer.ParametersForAsync(unverified.Issuer, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not read the metadata of the {Namespace} issuer; trying the others", issuer.Trust.Namespace ?? "development");
                continue;
            }

            if (parameters is null)
            {
                continue;
            }

            var result = await _handler.ValidateTokenAsync(token, parameters);
            if (!result.IsValid)
            {
                logger.LogInformation("Rejected a token from {Issuer}: {Reason}", unverified.Issuer, result.Exception?.Message);
                return null;
            }

            return CallerOf(result.ClaimsIdentity, issuer.Trust);
        }

        logger.LogInformation("Rejected a token from unknown issuer {Issuer}", unverified.Issuer);
        return null;
    }

    private Caller? CallerOf(System.Security.Claims.ClaimsIdentity identity, IssuerTrust trust)
    {
        var settings = options.Value;
        var subject = identity.FindFirst(trust.SubjectClaim)?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            return null;
        }

        // Roles this issuer may not grant are dropped, not trusted.
        var roles = identity.FindAll(settings.RoleClaim).Select(c => c.Value).Where(trust.Roles.Contains).ToHashSet(StringComparer.Ordinal);
        var organisation = trust.NamesOrganisation ? identity.FindFirst(settings.OrganisationClaim)?.Value : null;
        if (organisation is null || !Organisation.IsValidKvk(organisation))
        {
            // An applicant always acts for one organisation, named by its KvK number (it becomes part of
            // the ids the applicant's records are kept under); without one nothing could be scoped to it.
            roles.Remove(Roles.Applicant);
            organisation = null;
        }

        return new Caller(trust.SubjectOf(subject), roles, organisation);
    }
}

/// <summary>The lifetime checks every issuer shares, on the app's clock.</summary>
public static class TokenLifetime
{
    public static TokenValidationParameters WithLifetimeOn(this TokenValidationParameters parameters, TimeProvider time)
    {
        parameters.ValidateLifetime = true;
        parameters.RequireExpirationTime = true;
        parameters.RequireSignedTokens = true;
        parameters.ClockSkew = TimeSpan.FromMinutes(2);
        parameters.LifetimeValidator = (notBefore, expires, _, p) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore.Value - p.ClockSkew <= now) && expires is not null && now <= expires.Value + p.ClockSkew;
        };
        return parameters;
    }
}
