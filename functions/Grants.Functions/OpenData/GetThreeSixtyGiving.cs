using System.Text;
using Grants.Contracts.OpenData;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Grants.Functions.OpenData;

[AnonymousAllowed]
[ApiOperation("A round's awards as a 360Giving data package with the allocation extension, or (format=csv) the flat spreadsheet 360Giving publishers use (public open data; no personal data)", Tag = "OpenData", Response = typeof(ThreeSixtyGivingPackage), Query = "format")]
public sealed class GetRoundThreeSixtyGiving(RequestGate gate, ThreeSixtyGivingPublisher publisher, IOptions<OpenDataOptions> options)
{
    [Function(nameof(GetRoundThreeSixtyGiving))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/open-data/360giving")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetRoundThreeSixtyGiving>(request, (_, ct) =>
            OpenDataFormats.RenderAsync(request.Query, () => publisher.RoundAsync(roundId, ApiAddress.Of(request, options.Value), ct)), cancellationToken);
}

[AnonymousAllowed]
[ApiOperation("A scheme's awards, every round of it, as a 360Giving data package with the allocation extension, or (format=csv) the flat spreadsheet (public open data; no personal data)", Tag = "OpenData", Response = typeof(ThreeSixtyGivingPackage), Query = "format")]
public sealed class GetSchemeThreeSixtyGiving(RequestGate gate, ThreeSixtyGivingPublisher publisher, IOptions<OpenDataOptions> options)
{
    [Function(nameof(GetSchemeThreeSixtyGiving))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}/open-data/360giving")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetSchemeThreeSixtyGiving>(request, (_, ct) =>
            OpenDataFormats.RenderAsync(request.Query, () => publisher.SchemeAsync(schemeId, ApiAddress.Of(request, options.Value), ct)), cancellationToken);
}

/// <summary>The forms the open data is published in: JSON (the default) and CSV.</summary>
public static class OpenDataFormats
{
    public static readonly string[] All = [ResponseFormat.Json, ResponseFormat.Csv];

    /// <summary>Reads the <c>format</c> query value first (422 for another), then renders the package in it.</summary>
    public static async Task<IResult> RenderAsync(IQueryCollection query, Func<Task<Result<ThreeSixtyGivingPackage>>> package)
    {
        var format = ResponseFormat.Read(query, All);
        return format.Failure is { } invalid ? ResultResponses.Problem(invalid)
            : (await package()).Respond(p => format.Value == ResponseFormat.Csv ? TypedResults.Text(ThreeSixtyGivingCsv.Write(p), "text/csv", Encoding.UTF8) : TypedResults.Ok(p));
    }
}

/// <summary>
/// The address the published documents' links start with: the configured public address (<see cref="OpenDataOptions.PublicBaseUrl"/>),
/// else the one the caller reached the API at.
/// </summary>
public static class ApiAddress
{
    public static Uri Of(HttpRequest request, OpenDataOptions options) =>
        options.PublicBaseUrl is { } publicBase ? new Uri(publicBase.TrimEnd('/') + "/") : new Uri($"{request.Scheme}://{request.Host}/");
}

[AnonymousAllowed]
[ApiOperation("The 360Giving allocation extension the open data uses: extension.json, or the JSON Merge Patch it applies to the grant schema (360-giving-schema.json)", Tag = "OpenData", ResponseMediaType = "application/json")]
public sealed class GetAllocationExtension(RequestGate gate)
{
    [Function(nameof(GetAllocationExtension))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "open-data/360giving/allocation-extension/{file}")] HttpRequest request,
        string file,
        CancellationToken cancellationToken) =>
        // The route admits only the extension's own two files (RouteValues): nothing else of the assembly is reachable here.
        gate.RunAsync<GetAllocationExtension>(request, (_, _) =>
        {
            using var stream = typeof(GetAllocationExtension).Assembly.GetManifestResourceStream($"360giving/allocation-extension/{file}")!;
            using var reader = new StreamReader(stream);
            return Task.FromResult<IResult>(TypedResults.Text(reader.ReadToEnd(), "application/json", System.Text.Encoding.UTF8));
        }, cancellationToken);
}
