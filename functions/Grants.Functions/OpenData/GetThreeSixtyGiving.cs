using Grants.Contracts.OpenData;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Grants.Functions.OpenData;

[AnonymousAllowed]
[ApiOperation("A round's awards as a 360Giving data package, with the allocation extension (public open data; no personal data)", Tag = "OpenData", Response = typeof(ThreeSixtyGivingPackage))]
public sealed class GetRoundThreeSixtyGiving(RequestGate gate, ThreeSixtyGivingPublisher publisher, IOptions<OpenDataOptions> options)
{
    [Function(nameof(GetRoundThreeSixtyGiving))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/open-data/360giving")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetRoundThreeSixtyGiving>(request, async (_, ct) => (await publisher.RoundAsync(roundId, ApiAddress.Of(request, options.Value), ct)).Ok(package => package), cancellationToken);
}

[AnonymousAllowed]
[ApiOperation("A scheme's awards, every round of it, as a 360Giving data package, with the allocation extension (public open data; no personal data)", Tag = "OpenData", Response = typeof(ThreeSixtyGivingPackage))]
public sealed class GetSchemeThreeSixtyGiving(RequestGate gate, ThreeSixtyGivingPublisher publisher, IOptions<OpenDataOptions> options)
{
    [Function(nameof(GetSchemeThreeSixtyGiving))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}/open-data/360giving")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetSchemeThreeSixtyGiving>(request, async (_, ct) => (await publisher.SchemeAsync(schemeId, ApiAddress.Of(request, options.Value), ct)).Ok(package => package), cancellationToken);
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

[AnonymousAllowed]
[ApiOperation("A round's awards as a 360Giving spreadsheet: one row per grant, the standard's column titles, the allocation extension's columns last (public open data; no personal data)", Tag = "OpenData", ResponseMediaType = "text/csv")]
public sealed class GetRoundThreeSixtyGivingCsv(RequestGate gate, ThreeSixtyGivingPublisher publisher, IOptions<OpenDataOptions> options)
{
    [Function(nameof(GetRoundThreeSixtyGivingCsv))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rounds/{roundId}/open-data/360giving.csv")] HttpRequest request,
        string roundId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetRoundThreeSixtyGivingCsv>(request, async (_, ct) =>
            (await publisher.RoundAsync(roundId, ApiAddress.Of(request, options.Value), ct)).Respond(package => TypedResults.Text(ThreeSixtyGivingCsv.Write(package), "text/csv", System.Text.Encoding.UTF8)), cancellationToken);
}

[AnonymousAllowed]
[ApiOperation("A scheme's awards, every round of it, as a 360Giving spreadsheet (public open data; no personal data)", Tag = "OpenData", ResponseMediaType = "text/csv")]
public sealed class GetSchemeThreeSixtyGivingCsv(RequestGate gate, ThreeSixtyGivingPublisher publisher, IOptions<OpenDataOptions> options)
{
    [Function(nameof(GetSchemeThreeSixtyGivingCsv))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}/open-data/360giving.csv")] HttpRequest request,
        string schemeId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetSchemeThreeSixtyGivingCsv>(request, async (_, ct) =>
            (await publisher.SchemeAsync(schemeId, ApiAddress.Of(request, options.Value), ct)).Respond(package => TypedResults.Text(ThreeSixtyGivingCsv.Write(package), "text/csv", System.Text.Encoding.UTF8)), cancellationToken);
}
