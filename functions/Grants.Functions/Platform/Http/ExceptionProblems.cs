using Grants.Domain.Budget;
using Grants.Domain.Common;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// The one mapping from an exception to a problem response. The exceptions the product throws on purpose are
/// listed in <see cref="Thrown"/>, which the OpenAPI document also reads to tell which problems an operation can
/// answer with; anything else is <see cref="ProblemKind.StorageUnavailable"/> when storage could not be reached,
/// otherwise <see cref="ProblemKind.Unexpected"/>.
/// </summary>
public static partial class ExceptionProblems
{
    /// <summary>Each exception thrown on purpose, with the problem it answers as.</summary>
    public static IReadOnlyList<ThrownProblem> Thrown { get; } =
    [
        ThrownProblem.For<ForbiddenException>(ProblemKind.Forbidden, e => e.Message),
        ThrownProblem.For<NotPermittedException>(ProblemKind.Forbidden, e => e.Message),
        ThrownProblem.For<ConcurrencyConflictException>(ProblemKind.ConcurrencyConflict, _ => "Reload it and try again."),
        ThrownProblem.For<AggregateExistsException>(ProblemKind.AlreadyExists, _ => null),
        ThrownProblem.For<IdempotencyKeyReusedException>(ProblemKind.IdempotencyKeyReused, _ => "Use a new Idempotency-Key for a different request."),
        ThrownProblem.For<InvalidTransitionException>(ProblemKind.InvalidTransition, e => e.Message),
        ThrownProblem.For<Grants.Domain.Rounds.RoundNotOpenException>(ProblemKind.RoundNotOpen, e => e.Message),
        ThrownProblem.For<Grants.Domain.Organisations.OrganisationNotRegisteredException>(ProblemKind.OrganisationNotRegistered, e => e.Message),
        ThrownProblem.For<CeilingExceededException>(ProblemKind.CeilingExceeded, e => e.Message, e => new Dictionary<string, object?> { ["requestedCents"] = e.Requested, ["availableCents"] = e.Available }),
        ThrownProblem.For<DomainRuleException>(ProblemKind.ValidationFailed, e => e.Message, e => new Dictionary<string, object?> { ["errors"] = e.Errors }),
        ThrownProblem.For<StorageLimitExceededException>(ProblemKind.PayloadTooLarge, e => e.Message),
    ];

    /// <summary>What any operation may answer when something fails that no rule foresaw.</summary>
    public static IReadOnlyList<ProblemKind> Unforeseen { get; } = [ProblemKind.Unexpected, ProblemKind.StorageUnavailable];

    /// <summary>The problem <paramref name="exceptionType"/> answers as, when it is one the product throws on purpose.</summary>
    public static ProblemKind? KindOf(Type exceptionType) => Thrown.FirstOrDefault(t => t.Exception.IsAssignableFrom(exceptionType))?.Kind;

    public static IResult Map(Exception exception, ILogger logger)
    {
        switch (exception)
        {
            // Thrown by the framework while reading a body or binding a route value.
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return Problems.Of(ProblemKind.PayloadTooLarge, bad.Message);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status404NotFound:
                return Problems.Of(ProblemKind.NotFound, bad.Message);
            case BadHttpRequestException bad:
                return Problems.Of(ProblemKind.MalformedRequest, bad.Message);
            case var thrown when Thrown.FirstOrDefault(t => t.Exception.IsInstanceOfType(thrown)) is { } rule:
                return Problems.Of(rule.Kind, rule.Detail(thrown), rule.Extensions(thrown));
            case Azure.RequestFailedException or HttpRequestException or TimeoutException:
            case var transient when StorageExceptions.IsTransient(transient):
                LogStorageUnavailable(logger, exception);
                return Problems.Of(ProblemKind.StorageUnavailable);
            default:
                LogUnexpected(logger, exception);
                return Problems.Of(ProblemKind.Unexpected);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage call failed while handling a request")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure while handling a request")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}

/// <summary>An exception the product throws on purpose and the problem it answers as.</summary>
public sealed record ThrownProblem(Type Exception, ProblemKind Kind, Func<Exception, string?> Detail, Func<Exception, IDictionary<string, object?>?> Extensions)
{
    public static ThrownProblem For<TException>(ProblemKind kind, Func<TException, string?> detail, Func<TException, IDictionary<string, object?>>? extensions = null)
        where TException : Exception =>
        new(typeof(TException), kind, e => detail((TException)e), e => extensions?.Invoke((TException)e));
}
