using Grants.Contracts.OpenData;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Grants.Functions.OpenData;

[AnonymousAllowed]
[ProblemForm(typeof(CommonGrantsProblemForm))]
[ApiOperation("CommonGrants 0.4.0: the rounds opened and not yet closed as opportunities, the most recently changed first, a page at a time (page from 1, pageSize from 1, default 100, at most 500 answered; public)", Tag = "CommonGrants", Response = typeof(OpportunityPageResponse), Query = "page,pageSize")]
public sealed class ListCommonGrantsOpportunities(RequestGate gate, CommonGrantsOpportunities opportunities, IOptions<OpenDataOptions> options)
{
    [Function(nameof(ListCommonGrantsOpportunities))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "common-grants/opportunities")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<ListCommonGrantsOpportunities>(request, async (_, ct) =>
            (await opportunities.PageAsync(request.Query["page"], request.Query["pageSize"], ApiAddress.Of(request, options.Value), ct)).Ok(page => page),
            cancellationToken);
}

[AnonymousAllowed]
[ProblemForm(typeof(CommonGrantsProblemForm))]
[ApiOperation("CommonGrants 0.4.0: one opportunity — a round that was opened, whether forthcoming, open or closed — by the UUID the list gives (public)", Tag = "CommonGrants", Response = typeof(OpportunityResponse))]
public sealed class GetCommonGrantsOpportunity(RequestGate gate, CommonGrantsOpportunities opportunities, IOptions<OpenDataOptions> options)
{
    [Function(nameof(GetCommonGrantsOpportunity))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "common-grants/opportunities/{oppId}")] HttpRequest request,
        string oppId,
        CancellationToken cancellationToken) =>
        gate.RunAsync<GetCommonGrantsOpportunity>(request, async (_, ct) =>
            (await opportunities.FindAsync(oppId, ApiAddress.Of(request, options.Value), ct)).Ok(found => found),
            cancellationToken);
}

[AnonymousAllowed]
[ProblemForm(typeof(CommonGrantsProblemForm))]
[ApiOperation("CommonGrants 0.4.0: search the listed opportunities by words in their title or description, filters on status, close date and amounts, in an order of the protocol's keys, a page at a time (public)", Tag = "CommonGrants", Request = typeof(OpportunitySearchRequest), Response = typeof(OpportunitySearchResponse), ChangesNothing = true)]
public sealed class SearchCommonGrantsOpportunities(RequestGate gate, CommonGrantsOpportunities opportunities, IOptions<OpenDataOptions> options)
{
    [Function(nameof(SearchCommonGrantsOpportunities))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "common-grants/opportunities/search")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync<SearchCommonGrantsOpportunities, OpportunitySearchRequest>(request, async (_, search, ct) =>
            TypedResults.Ok(await opportunities.SearchAsync(search, ApiAddress.Of(request, options.Value), ct)),
            cancellationToken);
}

/// <summary>
/// Errors as the CommonGrants protocol writes them (<c>status</c>, <c>message</c>, <c>errors</c>): the message is the
/// problem's detail; each error names the problem type this API gives it elsewhere, and the field for a refused value.
/// </summary>
public sealed class CommonGrantsProblemForm : IProblemForm
{
    public Type Body => typeof(CommonGrantsError);

    public string MediaType => "application/json";

    public IResult Write(ProblemDetails problem)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var message = problem.Detail ?? problem.Title ?? "Error";
        var type = problem.Type ?? ProblemKind.Unexpected.Type;
        IReadOnlyList<CommonGrantsErrorItem> errors = problem.Extensions.TryGetValue("errors", out var fields) && fields is IEnumerable<KeyValuePair<string, string[]>> refused
            ? [.. refused.SelectMany(f => f.Value.Select(m => new CommonGrantsErrorItem(type, f.Key, m)))]
            : [new CommonGrantsErrorItem(type, null, problem.Title ?? message)];
        var traceId = problem.Extensions.TryGetValue("traceId", out var trace) ? trace?.ToString() ?? "" : "";
        return TypedResults.Json(new CommonGrantsError(status, message, errors, traceId), statusCode: status);
    }
}
