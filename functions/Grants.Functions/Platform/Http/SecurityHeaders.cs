using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// Headers every response carries: browsers keep to HTTPS for a year once they have seen the app
/// (HSTS), and never guess another content type than the one declared (a PDF or JSON rendered as HTML).
/// Set by the gate and the catch-all route, so both hosts send them.
/// </summary>
public static class SecurityHeaders
{
    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public static void Apply(HttpResponse response)
    {
        response.Headers.StrictTransportSecurity = StrictTransportSecurity;
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
