using System.Text;
using Grants.Contracts.OpenData;
using Grants.Functions.Platform.Commands;
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
            var format = request.Query["format"].ToString();
            if (format is not ("" or "json" or "csv"))
            {
                return ResultResponses.Problem(Failure.Invalid(new Dictionary<string, string[]> { ["format"] = ["must be json or csv"] }, "Ask for the register as json or csv."));
            }

            // The year has four digits (RouteValues refuses any other form before this runs).
            var result = await register.OfAsync(schemeId, int.Parse(year, System.Globalization.CultureInfo.InvariantCulture), ct);
            return format == "csv"
                ? result.Respond(r => TypedResults.Text(SubsidyRegister.Csv(r), "text/csv", Encoding.UTF8))
                : result.Ok(r => r);
        }, cancellationToken);
}
