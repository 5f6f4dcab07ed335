using System.Net;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Grants.Functions.Platform.Identity;

/// <summary>
/// An OpenID Connect issuer (Entra ID, the eHerkenning broker). Its signing keys come from its
/// discovery document through a <see cref="ConfigurationManager{T}"/> that the token handler asks
/// again when a token names a key it does not know yet, so a key rotation is picked up at once
/// instead of after the next scheduled refresh.
/// </summary>
public sealed class OidcTokenIssuer : ITokenIssuer
{
    /// <summary>Asymmetric algorithms only: a token signed any other way (HMAC with a public key, none) is refused.</summary>
    public static IReadOnlyList<string> Algorithms { get; } = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];

    private readonly Lazy<OidcIssuerOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lazy<ConfigurationManager<OpenIdConnectConfiguration>?> _metadata;

    /// <param name="options">Read on first use, so that building the issuer never reads the settings it validates.</param>
    public OidcTokenIssuer(Func<OidcIssuerOptions> options, IssuerTrust trust, TimeProvider time)
    {
        _options = new Lazy<OidcIssuerOptions>(options);
        _time = time;
        Trust = trust;
        _metadata = new Lazy<ConfigurationManager<OpenIdConnectConfiguration>?>(() =>
        {
            if (!_options.Value.IsConfigured)
            {
                return null;
            }

            var authority = _options.Value.Authority.TrimEnd('/');
            return new ConfigurationManager<OpenIdConnectConfiguration>(
                authority + "/.well-known/openid-configuration",
                new OpenIdConnectConfigurationRetriever(),
                // Plain HTTP only for an issuer on this machine (a test's); anything else must be HTTPS.
                new HttpDocumentRetriever { RequireHttps = !IsLoopback(new Uri(authority)) });
        });
    }

    public IssuerTrust Trust { get; }

    public async ValueTask<TokenValidationParameters?> ParametersForAsync(string issuer, CancellationToken cancellationToken)
    {
        if (_metadata.Value is not { } metadata)
        {
            return null;
        }

        // An issuer is nearly always its own authority; only otherwise is its metadata read to compare.
        if (!string.Equals(issuer.TrimEnd('/'), _options.Value.Authority.TrimEnd('/'), StringComparison.Ordinal)
            && (await metadata.GetConfigurationAsync(cancellationToken)).Issuer != issuer)
        {
            return null;
        }

        return new TokenValidationParameters
        {
            ConfigurationManager = metadata,
            // The issuer named by the token, now known to be this one (its authority, or the issuer its metadata names).
            ValidIssuer = issuer,
            ValidAudience = _options.Value.Audience,
            ValidAlgorithms = Algorithms,
            ValidateIssuerSigningKey = true,
        }.WithLifetimeOn(_time);
    }

    private static bool IsLoopback(Uri authority) =>
        authority.IsLoopback || (IPAddress.TryParse(authority.Host, out var address) && IPAddress.IsLoopback(address));
}
