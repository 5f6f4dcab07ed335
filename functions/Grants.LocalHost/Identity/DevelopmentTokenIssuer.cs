using Grants.Functions.Platform.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Grants.LocalHost.Identity;

/// <summary>
/// The local host's issuer: tokens signed with this machine's development key, for any role. It is
/// registered only here; the function app under the Functions host has no such issuer and refuses to
/// start when a development key is configured (<c>DependencyInjection</c>).
/// </summary>
public sealed class DevelopmentTokenIssuer(IOptions<AuthOptions> options, TimeProvider time) : ITokenIssuer
{
    public IssuerTrust Trust => IssuerTrust.Development;

    public ValueTask<TokenValidationParameters?> ParametersForAsync(string issuer, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.DevelopmentSigningKey) || issuer != settings.DevelopmentIssuer)
        {
            return ValueTask.FromResult<TokenValidationParameters?>(null);
        }

        return ValueTask.FromResult<TokenValidationParameters?>(new TokenValidationParameters
        {
            ValidIssuer = settings.DevelopmentIssuer,
            ValidAudience = settings.Audience,
            IssuerSigningKey = DevelopmentTokens.SigningKey(settings.DevelopmentSigningKey),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        }.WithLifetimeOn(time));
    }
}
