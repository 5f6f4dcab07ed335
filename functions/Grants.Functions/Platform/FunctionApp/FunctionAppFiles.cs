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

    /// <summary>
    /// host.json's <c>extensions.queues</c>, with the Functions host's defaults for what it leaves out
    /// (learn.microsoft.com, "Azure Queue storage trigger and bindings for Azure Functions", host.json settings).
    /// </summary>
    public static QueueTriggerSettings ReadQueueSettings(string directory)
    {
        var path = Path.Combine(directory, HostFileName);
        var defaults = new QueueTriggerSettings();
        if (!File.Exists(path))
        {
            return defaults;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("extensions", out var extensions) || !extensions.TryGetProperty("queues", out var queues))
        {
            return defaults;
        }

        return defaults.With(queues.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase));
    }
}

/// <summary>How the Functions host runs queue triggers: polling back-off, batches, retries and the poison queue.</summary>
public sealed record QueueTriggerSettings(
    TimeSpan MaxPollingInterval,
    TimeSpan VisibilityTimeout,
    int BatchSize,
    int NewBatchThreshold,
    int MaxDequeueCount,
    string MessageEncoding)
{
    /// <summary>The host's defaults: poll at most a minute apart, retry at once, 16 a batch, fetch more at half, five deliveries, base64.</summary>
    public QueueTriggerSettings()
        : this(TimeSpan.FromMinutes(1), TimeSpan.Zero, 16, 8, 5, "base64")
    {
    }

    /// <summary>These settings with the named ones replaced (host.json's names, case-insensitive); an unknown name or value is refused.</summary>
    public QueueTriggerSettings With(IReadOnlyDictionary<string, string> values)
    {
        var settings = this;
        var batchSizeGiven = false;
        var thresholdGiven = false;
        foreach (var (name, value) in values)
        {
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            settings = name.ToLowerInvariant() switch
            {
                "maxpollinginterval" => settings with { MaxPollingInterval = TimeSpan.Parse(value, invariant) },
                "visibilitytimeout" => settings with { VisibilityTimeout = TimeSpan.Parse(value, invariant) },
                "batchsize" => settings with { BatchSize = int.Parse(value, invariant) },
                "newbatchthreshold" => settings with { NewBatchThreshold = int.Parse(value, invariant) },
                "maxdequeuecount" => settings with { MaxDequeueCount = int.Parse(value, invariant) },
                "messageencoding" => value.ToLowerInvariant() is "base64" or "none" ? settings with { MessageEncoding = value.ToLowerInvariant() }
                    : throw new InvalidDataException($"Queue messageEncoding is base64 or none, not '{value}'."),
                _ => throw new InvalidDataException($"host.json's extensions.queues has no setting '{name}' that the local host knows."),
            };
            batchSizeGiven |= name.Equals("batchSize", StringComparison.OrdinalIgnoreCase);
            thresholdGiven |= name.Equals("newBatchThreshold", StringComparison.OrdinalIgnoreCase);
        }

        // As in the host: unless set, the threshold is half the batch size.
        return batchSizeGiven && !thresholdGiven ? settings with { NewBatchThreshold = settings.BatchSize / 2 } : settings;
    }
}
