using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Grants.Functions.Platform.Http;

/// <summary>Builds the <c>application/problem+json</c> responses; the one place an error becomes HTTP.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(ProblemKind kind, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Type = kind.Type,
            Title = kind.Title,
            Status = kind.Status,
            Detail = detail,
        };
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? ActivityTraceId.CreateRandom().ToString();
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null) =>
        Of(ProblemKind.ValidationFailed, detail ?? "One or more fields are invalid.", new Dictionary<string, object?> { ["errors"] = errors });
}
