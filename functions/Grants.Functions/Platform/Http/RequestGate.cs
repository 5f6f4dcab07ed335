using System.Collections.Concurrent;
using System.Reflection;
using Grants.Functions.Platform.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// What every HTTP function runs through, under Azure Functions and the local host alike:
/// authentication, authorization, Idempotency-Key handling for POST, and the mapping of failures to
/// problem responses (in a protocol's own shape where the function declares one, <see cref="ProblemFormAttribute"/>).
/// It lives in the function's own call path so that no host can skip it.
/// </summary>
public sealed class RequestGate(TokenValidator tokens, IdempotentRequests idempotency, ILogger<RequestGate> logger)
{
    /// <summary>Runs <paramref name="handle"/> for a caller that <typeparamref name="TFunction"/>'s declared access admits.</summary>
    public Task<IResult> RunAsync<TFunction>(HttpRequest request, Func<Caller, CancellationToken, Task<IResult>> handle, CancellationToken cancellationToken) =>
        RunAsync(request, typeof(TFunction), Access<TFunction>.Declared, KeyHandling.Reserved, handle, cancellationToken);

    /// <summary>As <see cref="RunAsync{TFunction}"/>, reading and validating the JSON body first (a problem response when it is bad).</summary>
    public Task<IResult> RunAsync<TFunction, TBody>(HttpRequest request, Func<Caller, TBody, CancellationToken, Task<IResult>> handle, CancellationToken cancellationToken)
        where TBody : class =>
        RunAsync<TFunction>(request, WithBody(request, handle), cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync{TFunction, TBody}"/> for a command that creates one aggregate under an
    /// id derived from the request and answers with it: its create carries the Idempotency-Key
    /// (<see cref="IdempotentRequests.ExecuteCreateAsync"/>), so a keyed request costs no extra storage calls.
    /// </summary>
    public Task<IResult> RunCreateAsync<TFunction, TBody>(HttpRequest request, Func<Caller, TBody, CancellationToken, Task<IResult>> handle, CancellationToken cancellationToken)
        where TBody : class =>
        RunAsync(request, typeof(TFunction), Access<TFunction>.Declared, KeyHandling.CarriedByCreate, WithBody(request, handle), cancellationToken);

    /// <summary>Reads and validates the JSON body before <paramref name="handle"/> (a problem response when it is bad).</summary>
    private static Func<Caller, CancellationToken, Task<IResult>> WithBody<TBody>(HttpRequest request, Func<Caller, TBody, CancellationToken, Task<IResult>> handle)
        where TBody : class =>
        async (caller, ct) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<TBody>(request, ct);
            return problem ?? await handle(caller, body!, ct);
        };

    /// <summary>As <see cref="RunAsync{TFunction, TBody}"/> for updates: the If-Match ETag is required (428 without it).</summary>
    public Task<IResult> RunUpdateAsync<TFunction, TBody>(HttpRequest request, Func<Caller, Azure.ETag, TBody, CancellationToken, Task<IResult>> handle, CancellationToken cancellationToken)
        where TBody : class =>
        RunAsync<TFunction>(request, async (caller, ct) =>
        {
            var (ifMatch, missing) = request.RequireIfMatch();
            if (missing is not null)
            {
                return missing;
            }

            var (body, problem) = await JsonBody.ReadAsync<TBody>(request, ct);
            return problem ?? await handle(caller, ifMatch!.Value, body!, ct);
        }, cancellationToken);

    private async Task<IResult> RunAsync(HttpRequest request, Type function, Access access, KeyHandling keys, Func<Caller, CancellationToken, Task<IResult>> handle, CancellationToken cancellationToken)
    {
        var result = await AnswerAsync(request, function, access, keys, handle, cancellationToken);
        return result is ProblemHttpResult problem && Forms.GetOrAdd(function, FormOf) is { } form
            ? form.Write(problem.ProblemDetails)
            : result;
    }

    /// <summary>The problem form each function declares (<see cref="ProblemFormAttribute"/>), if any.</summary>
    private static readonly ConcurrentDictionary<Type, IProblemForm?> Forms = new();

    /// <summary>Whether each function is a POST that only reads (<see cref="OpenApi.ApiOperationAttribute.ChangesNothing"/>).</summary>
    private static readonly ConcurrentDictionary<Type, bool> ReadsOnly = new();

    private static bool IsReadOnly(Type function) => function.GetCustomAttribute<OpenApi.ApiOperationAttribute>()?.ChangesNothing == true;

    private static IProblemForm? FormOf(Type function) => function.GetCustomAttribute<ProblemFormAttribute>()?.Form;

    private async Task<IResult> AnswerAsync(HttpRequest request, Type function, Access access, KeyHandling keys, Func<Caller, CancellationToken, Task<IResult>> handle, CancellationToken cancellationToken)
    {
        SecurityHeaders.Apply(request.HttpContext.Response);
        try
        {
            var caller = await AuthenticateAsync(request, cancellationToken);
            if (access.AllowsAnonymous)
            {
                caller ??= Caller.Anonymous;
            }
            else if (caller is null || !caller.IsAuthenticated)
            {
                return new WithChallenge(Problems.Of(
                    ProblemKind.Unauthenticated,
                    caller is null ? "The bearer token is expired or not valid." : "Send a bearer token in the Authorization header."));
            }

            if (!access.Admits(caller))
            {
                return Problems.Of(ProblemKind.Forbidden, $"This needs one of the roles: {string.Join(", ", access.Roles.Order())}.");
            }

            if (RouteValues.Check(function, request) is { } malformed)
            {
                return malformed;
            }

            // Only a known caller's key is kept: an anonymous one would let anyone write rows before the
            // route's own check (a questionnaire's token) has run; anonymous commands are safe to repeat.
            if (caller.IsAuthenticated && HttpMethods.IsPost(request.Method) && !ReadsOnly.GetOrAdd(function, IsReadOnly)
                && request.Headers.TryGetValue(IdempotentRequests.HeaderName, out var key))
            {
                return keys == KeyHandling.CarriedByCreate
                    ? await idempotency.ExecuteCreateAsync(request, caller, key.ToString(), () => GuardedAsync(handle, caller, cancellationToken), cancellationToken)
                    : await idempotency.ExecuteAsync(request, caller, key.ToString(), () => GuardedAsync(handle, caller, cancellationToken), cancellationToken);
            }

            return await GuardedAsync(handle, caller, cancellationToken);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return ExceptionProblems.Map(e, logger);
        }
    }

    private async Task<IResult> GuardedAsync(Func<Caller, CancellationToken, Task<IResult>> handle, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return await handle(caller, cancellationToken);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return ExceptionProblems.Map(e, logger);
        }
    }

    /// <returns>The caller; <see cref="Caller.Anonymous"/> without a token; null for a token that is not valid.</returns>
    private async Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Caller.Anonymous;
        }

        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return await tokens.ValidateAsync(header[scheme.Length..].Trim(), cancellationToken);
    }

    /// <summary>How a POST's Idempotency-Key is kept: by a reservation with a stored response, or by the command's own create.</summary>
    private enum KeyHandling
    {
        Reserved,
        CarriedByCreate,
    }

    private sealed class WithChallenge(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
