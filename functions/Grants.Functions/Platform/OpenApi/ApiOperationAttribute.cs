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

    /// <summary>The request body is the raw file (e.g. a PDF), not JSON.</summary>
    public bool RawBody { get; set; }

    /// <summary>The success response is this media type (e.g. a file download) rather than JSON.</summary>
    public string? ResponseMediaType { get; set; }

    /// <summary>Comma-separated optional query parameters.</summary>
    public string? Query { get; set; }

    /// <summary>Hidden from the document (e.g. the catch-all that answers unknown routes).</summary>
    public bool Hidden { get; set; }
}
