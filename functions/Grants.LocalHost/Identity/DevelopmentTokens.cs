using System.Security.Claims;
using System.Security.Cryptography;
using Grants.Functions.Platform.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grants.LocalHost.Identity;

/// <summary>Signs tokens for the development issuer: for local runs (<c>grants dev-token</c>) and tests.</summary>
public static class DevelopmentTokens
{
    public static string Issue(
        AuthOptions options,
        string subject,
        string role,
        string? organisation,
        DateTimeOffset now,
        TimeSpan lifetime)
    {
        var key = SigningKey(options.DevelopmentSigningKey
            ?? throw new InvalidOperationException("No development signing key is configured."));
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, subject), new(options.RoleClaim, role) };
        if (!string.IsNullOrEmpty(organisation))
        {
            claims.Add(new Claim(options.OrganisationClaim, organisation));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.DevelopmentIssuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    internal static SymmetricSecurityKey SigningKey(string base64) => new(Convert.FromBase64String(base64));
}
