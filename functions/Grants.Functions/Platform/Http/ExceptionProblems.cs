using Grants.Domain.Common;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Platform.Http;

/// <summary>The one mapping from an exception to a problem response.</summary>
public static partial class ExceptionProblems
{
    public static IResult Map(Exception exception, ILogger logger)
    {
        switch (exception)
        {
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return Problems.Of(ProblemKind.PayloadTooLarge, bad.Message);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status404NotFound:
                return Problems.Of(ProblemKind.NotFound, bad.Message);
            case BadHttpRequestException bad:
                return Problems.Of(ProblemKind.MalformedRequest, bad.Message);
            case Identity.ForbiddenException forbidden:
                return Problems.Of(ProblemKind.Forbidden, forbidden.Message);
            case ConcurrencyConflictException:
                return Problems.Of(ProblemKind.ConcurrencyConflict, "Reload it and try again.");
            case AggregateExistsException:
                return Problems.Of(ProblemKind.AlreadyExists);
            case IdempotencyKeyReusedException:
                return Problems.Of(ProblemKind.IdempotencyKeyReused, "Use a new Idempotency-Key for a different request.");
            case InvalidTransitionException invalid:
                return Problems.Of(ProblemKind.InvalidTransition, invalid.Message);
            case Domain.Budget.CeilingExceededException ceiling:
                return Problems.Of(ProblemKind.CeilingExceeded, ceiling.Message, new Dictionary<string, object?> { ["requestedCents"] = ceiling.Requested, ["availableCents"] = ceiling.Available });
            case DomainRuleException rule:
                return Problems.Validation(rule.Errors, rule.Message);
            case StorageLimitExceededException limit:
                return Problems.Of(ProblemKind.PayloadTooLarge, limit.Message);
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
