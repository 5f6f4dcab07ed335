using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// The one place a use case's <see cref="Result{T}"/> becomes HTTP: a failure becomes its problem response,
/// a value the typed success response the function declares, with the aggregate's ETag where there is one.
/// </summary>
public static class ResultResponses
{
    public static IResult Problem(Failure failure) =>
        Problems.Of(failure.Kind, failure.Detail, failure.Extensions?.ToDictionary(e => e.Key, e => e.Value));

    /// <summary>The response <paramref name="respond"/> makes of the value (a document sent as its exact bytes, a file, a page).</summary>
    public static IResult Respond<T>(this Result<T> result, Func<T, IResult> respond) =>
        result.Failure is { } failure ? Problem(failure) : respond(result.Value!);

    /// <summary>200 with the value mapped to its response.</summary>
    public static IResult Ok<T, TResponse>(this Result<T> result, Func<T, TResponse> map) =>
        result.Failure is { } failure ? Problem(failure) : TypedResults.Ok(map(result.Value!));

    /// <summary>200 with the aggregate mapped to its response and its ETag, which clients send back as If-Match.</summary>
    public static IResult Ok<TState, TResponse>(this Result<StoredAggregate<TState>> result, Func<StoredAggregate<TState>, TResponse> map) =>
        result.Failure is { } failure ? Problem(failure) : TypedResults.Ok(map(result.Value!)).WithETag(result.Value!.ETag);

    /// <summary>
    /// 202 with the aggregate as the decision left it and its ETag, and at Location the status of the operation that does
    /// what follows (docs/decisions/0019); 200 when nothing follows in the background (<paramref name="operation"/> gives null).
    /// </summary>
    public static IResult Accepted<TState, TResponse>(this Result<StoredAggregate<TState>> result, Func<StoredAggregate<TState>, TResponse> map, Func<StoredAggregate<TState>, string?> operation)
    {
        if (result.Failure is { } failure)
        {
            return Problem(failure);
        }

        var value = result.Value!;
        return operation(value) is { } id
            ? TypedResults.Accepted(Work.OperationIds.Location(id), map(value)).WithETag(value.ETag)
            : TypedResults.Ok(map(value)).WithETag(value.ETag);
    }

    /// <summary>202 with the value mapped to its response, and in Location the status of the operation it started.</summary>
    public static IResult Accepted<T, TResponse>(this Result<T> result, Func<T, TResponse> map, Func<T, string> operation) =>
        result.Failure is { } failure ? Problem(failure) : TypedResults.Accepted(Work.OperationIds.Location(operation(result.Value!)), map(result.Value!));

    /// <summary>201 at <paramref name="location"/> with the value mapped to its response.</summary>
    public static IResult Created<T, TResponse>(this Result<T> result, Func<T, string> location, Func<T, TResponse> map) =>
        result.Failure is { } failure ? Problem(failure) : TypedResults.Created(location(result.Value!), map(result.Value!));

    /// <summary>201 at <paramref name="location"/> with the aggregate mapped to its response and its ETag.</summary>
    public static IResult Created<TState, TResponse>(this Result<StoredAggregate<TState>> result, Func<StoredAggregate<TState>, string> location, Func<StoredAggregate<TState>, TResponse> map) =>
        result.Failure is { } failure ? Problem(failure) : TypedResults.Created(location(result.Value!), map(result.Value!)).WithETag(result.Value!.ETag);
}
