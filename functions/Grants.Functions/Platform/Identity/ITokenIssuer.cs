using Microsoft.IdentityModel.Tokens;

namespace Grants.Functions.Platform.Identity;

/// <summary>An issuer whose tokens Grants accepts, and what it is trusted to say (<see cref="IssuerTrust"/>).</summary>
public interface ITokenIssuer
{
    IssuerTrust Trust { get; }

    /// <summary>How to validate a token naming <paramref name="issuer"/> as its issuer; null when that is not this issuer.</summary>
    /// <exception cref="Exception">The issuer's metadata could not be read; other issuers are still tried.</exception>
    ValueTask<TokenValidationParameters?> ParametersForAsync(string issuer, CancellationToken cancellationToken);
}
