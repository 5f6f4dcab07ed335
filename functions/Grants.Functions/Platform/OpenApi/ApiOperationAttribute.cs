namespace Grants.Functions.Platform.OpenApi;

/// <summary>Describes an HTTP function for the OpenAPI document; routes and methods come from functions.metadata.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ApiOperationAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    public string? Tag { get; set; }

    public Type? Request { get; set; }

    public Type? Response { get; set; }

    public int SuccessStatus { get; set; } = 200;

    /// <summary>The update needs the ETag last read, sent as If-Match.</summary>
    public bool RequiresIfMatch { get; set; }

    /// <summary>The response carries the resource's ETag.</summary>
    public bool ReturnsETag { get; set; }

    /// <summary>Answers 202 with Location, the status of the background operation that does what follows (docs/decisions/0019).</summary>
    public bool StartsWork { get; set; }

    /// <summary>The request body is the raw file (e.g. a PDF), not JSON.</summary>
    public bool RawBody { get; set; }

    /// <summary>The success response is this media type (e.g. a file download) rather than JSON.</summary>
    public string? ResponseMediaType { get; set; }

    /// <summary>
    /// The success response is a published document whose JSON Schema is in contracts/schemas, named without its
    /// extension (<c>lottery-protocol</c>); the document carries that schema as a component of its own. Several names,
    /// comma-separated, say it is one of those documents.
    /// </summary>
    public string? ResponseSchema { get; set; }

    /// <summary>
    /// Statuses besides success at which the operation answers with a page of the same media type rather than a
    /// problem (the questionnaire's "already submitted" page is 409 HTML).
    /// </summary>
    public int[] PageStatuses { get; set; } = [];

    /// <summary>Comma-separated optional query parameters.</summary>
    public string? Query { get; set; }

    /// <summary>The names in <see cref="Query"/>.</summary>
    public string[] QueryParameters => (Query ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// A POST that only reads (a search whose query is a body): there is nothing a retry could do twice, so an
    /// Idempotency-Key is ignored rather than kept, and a repeat is answered afresh.
    /// </summary>
    public bool ChangesNothing { get; set; }

    /// <summary>Hidden from the document (e.g. the catch-all that answers unknown routes).</summary>
    public bool Hidden { get; set; }
}
