using System.Text;
using Grants.Contracts.OpenData;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.Functions.OpenData;

[AnonymousAllowed]
[ApiOperation("A scheme's public subsidy register for one year: every organisation awarded, with its KvK number, round, amount awarded and paid (format=json|csv; organisations only, never a person)", Tag = "OpenData", Response = typeof(SubsidyRegisterResponse), Query = "format")]
public sealed class GetSubsidyRegister(RequestGate gate, SubsidyRegister register)
{
    [Function(nameof(GetSubsidyRegister))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "schemes/{schemeId}/register/{year}")] HttpRequest request,
        string schemeId,
        string year,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetSubsidyRegister>(request, async (_, ct) =>
        {
            // The year has four digits (RouteValues refuses any other form before this runs).
            var format = ResponseFormat.Read(request.Query, OpenDataFormats.All);
            return format.Failure is { } invalid ? ResultResponses.Problem(invalid)
                : (await register.OfAsync(schemeId, int.Parse(year, System.Globalization.CultureInfo.InvariantCulture), ct))
                    .Respond(r => format.Value == ResponseFormat.Csv ? TypedResults.Text(SubsidyRegister.Csv(r), "text/csv", Encoding.UTF8) : TypedResults.Ok(r));
        }, cancellationToken);
}
