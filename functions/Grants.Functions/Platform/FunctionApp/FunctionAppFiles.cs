using System.Text.Json;

namespace Grants.Functions.Platform.FunctionApp;

/// <summary>Reads the two files the Functions host reads: <c>functions.metadata</c> and <c>host.json</c>.</summary>
public static class FunctionAppFiles
{
    public const string MetadataFileName = "functions.metadata";
    public const string HostFileName = "host.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IReadOnlyList<FunctionEntry> ReadMetadata(string directory)
    {
        var path = Path.Combine(directory, MetadataFileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{MetadataFileName} not found in {directory}: build Grants.Functions first (the Worker SDK generates it).", path);
        }

        return JsonSerializer.Deserialize<List<FunctionEntry>>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>The HTTP route prefix from host.json (<c>extensions.http.routePrefix</c>), <c>api</c> when absent, as in Azure.</summary>
    public static string ReadRoutePrefix(string directory)
    {
        var path = Path.Combine(directory, HostFileName);
        if (!File.Exists(path))
        {
            return "api";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });

        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            && prefix.ValueKind == JsonValueKind.String
                ? prefix.GetString()!.Trim('/')
                : "api";
    }
}
