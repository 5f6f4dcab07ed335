using System.Text.Json.Serialization;

namespace Grants.Functions.Platform.FunctionApp;

/// <summary>One entry of the <c>functions.metadata</c> file that the Worker SDK generates for Azure.</summary>
public sealed record FunctionEntry(
    string Name,
    string ScriptFile,
    string EntryPoint,
    IReadOnlyList<BindingEntry> Bindings)
{
    public BindingEntry? Trigger => Bindings.FirstOrDefault(b => b.Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
}

public sealed record BindingEntry(
    string Name,
    string Type,
    string Direction,
    string? AuthLevel = null,
    IReadOnlyList<string>? Methods = null,
    string? Route = null,
    string? Schedule = null,
    bool? RunOnStartup = null,
    bool? UseMonitor = null,
    string? QueueName = null,
    string? Connection = null)
{
    [JsonIgnore]
    public bool IsHttpTrigger => string.Equals(Type, "httpTrigger", StringComparison.OrdinalIgnoreCase);

    [JsonIgnore]
    public bool IsTimerTrigger => string.Equals(Type, "timerTrigger", StringComparison.OrdinalIgnoreCase);

    [JsonIgnore]
    public bool IsQueueTrigger => string.Equals(Type, "queueTrigger", StringComparison.OrdinalIgnoreCase);
}
