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

    /// <summary>201 at <paramref name="location"/> with the value mapped to its response.</summary>
    public static IResult Created<T, TResponse>(this Result<T> result, Func<T, string> location, Func<T, TResponse> map) =>
        result.Failure is { } failure ? Problem(failure) : TypedResults.Created(location(result.Value!), map(result.Value!));

    /// <summary>201 at <paramref name="location"/> with the aggregate mapped to its response and its ETag.</summary>
    public static IResult Created<TState, TResponse>(this Result<StoredAggregate<TState>> result, Func<StoredAggregate<TState>, string> location, Func<StoredAggregate<TState>, TResponse> map) =>
        result.Failure is { } failure ? Problem(failure) : TypedResults.Created(location(result.Value!), map(result.Value!)).WithETag(result.Value!.ETag);
}
