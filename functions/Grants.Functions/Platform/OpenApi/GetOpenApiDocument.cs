using Grants.Functions.Platform.FunctionApp;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.Platform.OpenApi;

/// <summary>Serves the OpenAPI document, built from the functions.metadata deployed beside the app.</summary>
[AnonymousAllowed]
[ApiOperation("The OpenAPI 3.1 description of this API", Tag = "Platform")]
public sealed class GetOpenApiDocument(RequestGate gate)
{
    private static readonly Lazy<string> Document = new(() =>
    {
        var directory = AppContext.BaseDirectory;
        return OpenApiDocument.Render(FunctionAppFiles.ReadMetadata(directory), FunctionAppFiles.ReadRoutePrefix(directory), typeof(GetOpenApiDocument).Assembly);
    });

    [Function(nameof(GetOpenApiDocument))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetOpenApiDocument>(request, (_, _) => Task.FromResult<IResult>(TypedResults.Text(Document.Value, "application/json")), cancellationToken);
}
