using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// An OpenID Connect issuer over real HTTP on this machine, standing in for Entra ID or the
/// eHerkenning broker: it publishes a discovery document and its RSA keys, signs tokens, and can
/// rotate its key or stop answering.
/// </summary>
public sealed class OidcIssuerDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private RsaSecurityKey _key = NewKey();
    private int _metadataReads;

    private OidcIssuerDouble(WebApplication app) => _app = app;

    /// <summary>Its issuer and authority: the address it listens on.</summary>
    public string Authority => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    /// <summary>While set, the discovery document and keys answer 503.</summary>
    public bool Unreachable { get; set; }

    /// <summary>How often the discovery document was read.</summary>
    public int MetadataReads => Volatile.Read(ref _metadataReads);

    public static async Task<OidcIssuerDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new OidcIssuerDouble(app);
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer._metadataReads);
            return issuer.Unreachable
                ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
                : Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = issuer.Authority,
                    ["jwks_uri"] = issuer.Authority + "/keys",
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                });
        });
        app.MapGet("/keys", () => issuer.Unreachable
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Text(JsonKeys(issuer._key), "application/json"));
        await app.StartAsync();
        return issuer;
    }

    /// <summary>A token from this issuer for <paramref name="audience"/>, signed with its current key.</summary>
    public string Issue(string audience, IReadOnlyDictionary<string, object> claims, string algorithm = SecurityAlgorithms.RsaSha256, DateTimeOffset? now = null)
    {
        var at = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Claims = claims.ToDictionary(),
            IssuedAt = at,
            NotBefore = at,
            Expires = at.AddHours(1),
            SigningCredentials = new SigningCredentials(_key, algorithm),
        });
    }

    /// <summary>A token with one role and, where given, an organisation, as the issuer's users carry them.</summary>
    public string Issue(string audience, string subjectClaim, string subject, string role, string? organisation = null)
    {
        var claims = new Dictionary<string, object> { [subjectClaim] = subject, ["roles"] = new[] { role } };
        if (organisation is not null)
        {
            claims["org"] = organisation;
        }

        return Issue(audience, claims);
    }

    /// <summary>Replaces the signing key: the old one is no longer published, the new one has a new key id.</summary>
    public void RotateKey() => _key = NewKey();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    private static string JsonKeys(RsaSecurityKey key)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha256;
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = jwk.Kty, use = jwk.Use, alg = jwk.Alg, kid = jwk.Kid, n = jwk.N, e = jwk.E } },
        });
    }
}
