namespace Grants.Functions.Platform.Http;

/// <summary>
/// Every kind of error the API reports, with its stable RFC 9457 <c>type</c> and HTTP status.
/// Clients may switch on <see cref="Type"/>; titles are for people and may be reworded.
/// </summary>
public sealed record ProblemKind(string Slug, int Status, string Title)
{
    public string Type => $"urn:grants:problem:{Slug}";

    public static readonly ProblemKind MalformedRequest = new("malformed-request", 400, "The request could not be read");
    public static readonly ProblemKind Unauthenticated = new("unauthenticated", 401, "Authentication is required");
    public static readonly ProblemKind Forbidden = new("forbidden", 403, "You may not do this");
    public static readonly ProblemKind NotFound = new("not-found", 404, "Not found");
    public static readonly ProblemKind RouteNotFound = new("route-not-found", 404, "No such API route");
    public static readonly ProblemKind ConcurrencyConflict = new("concurrency-conflict", 409, "Someone else changed this first");
    public static readonly ProblemKind AlreadyExists = new("already-exists", 409, "This already exists");
    public static readonly ProblemKind InvalidTransition = new("invalid-transition", 409, "Not possible in the current state");
    public static readonly ProblemKind RoundNotOpen = new("round-not-open", 409, "The round does not accept applications now");
    public static readonly ProblemKind OrganisationNotRegistered = new("organisation-not-registered", 409, "Register your organisation first");
    public static readonly ProblemKind CeilingExceeded = new("ceiling-exceeded", 409, "The budget ceiling does not allow this");
    public static readonly ProblemKind ControlGroupTooSmall = new("control-group-too-small", 409, "This would leave too small a control group");
    public static readonly ProblemKind IdempotencyInProgress = new("idempotency-in-progress", 409, "A request with this Idempotency-Key is still being processed");
    public static readonly ProblemKind PayloadTooLarge = new("payload-too-large", 413, "The request body is too large");
    public static readonly ProblemKind UnsupportedMediaType = new("unsupported-media-type", 415, "Unsupported content type");
    public static readonly ProblemKind ValidationFailed = new("validation-failed", 422, "The request is not valid");
    public static readonly ProblemKind IdempotencyKeyReused = new("idempotency-key-reused", 422, "This Idempotency-Key was used for a different request");
    public static readonly ProblemKind PreconditionRequired = new("precondition-required", 428, "An If-Match header is required");
    public static readonly ProblemKind Unexpected = new("unexpected", 500, "Something went wrong on our side");
    public static readonly ProblemKind StorageUnavailable = new("storage-unavailable", 503, "Storage is unavailable; retry later");

    public static IReadOnlyList<ProblemKind> All { get; } =
    [
        MalformedRequest, Unauthenticated, Forbidden, NotFound, RouteNotFound, ConcurrencyConflict, AlreadyExists,
        InvalidTransition, CeilingExceeded, ControlGroupTooSmall, RoundNotOpen, OrganisationNotRegistered, IdempotencyInProgress, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        IdempotencyKeyReused, PreconditionRequired, Unexpected, StorageUnavailable,
    ];
}
