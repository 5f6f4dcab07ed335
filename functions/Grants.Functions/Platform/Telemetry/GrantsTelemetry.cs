using System.Text.RegularExpressions;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace Grants.Functions.Platform.Telemetry;

/// <summary>
/// Telemetry to Application Insights, where a connection string is configured (Azure). Application
/// Insights there accepts only Entra ID authentication, so the exporter signs in with the app's
/// managed identity named in <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>; and a questionnaire's
/// token, which opens a respondent's answers, never leaves in a request's recorded path.
/// </summary>
public static partial class GrantsTelemetry
{
    public const string ConnectionSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static void AddGrantsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration[ConnectionSetting]))
        {
            return; // locally logs stay on the console
        }

        var clientId = ManagedIdentityClientId(configuration[AuthenticationSetting]);
        services.AddOpenTelemetry().UseAzureMonitor(options =>
        {
            if (clientId is not null)
            {
                options.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            }
        });
        services.Configure<AspNetCoreTraceInstrumentationOptions>(options => options.EnrichWithHttpRequest = (activity, request) =>
        {
            if (request.Path.Value is { } path && Redacted(path) is { } redacted && redacted != path)
            {
                activity.SetTag("url.path", redacted);
                activity.DisplayName = $"{request.Method} {redacted}";
            }
        });
    }

    /// <summary>The client id in <c>ClientId=…;Authorization=AAD</c>; null without one.</summary>
    public static string? ManagedIdentityClientId(string? authentication) =>
        authentication?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase) && pair[1].Length > 0)
            .Select(pair => pair[1])
            .FirstOrDefault();

    /// <summary>A request path as telemetry may record it: a questionnaire token replaced by its route parameter.</summary>
    public static string Redacted(string path) => QuestionnaireToken().Replace(path, "$1{token}");

    [GeneratedRegex("(/respond/)[^/]+", RegexOptions.CultureInvariant)]
    private static partial Regex QuestionnaireToken();
}
