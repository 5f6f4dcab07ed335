namespace Grants.LocalHost;

public sealed class LocalHostOptions
{
    /// <summary>Where to listen; port 0 picks a free port. Default as Azure Functions Core Tools.</summary>
    public string Url { get; set; } = "http://localhost:7071";

    /// <summary>The folder with functions.metadata, host.json and the function app's assemblies.</summary>
    public string FunctionAppDirectory { get; set; } = AppContext.BaseDirectory;

    /// <summary>Settings that override everything else (as app settings do in Azure).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Run timer triggers on their schedules; tests turn this off and fire them by hand.</summary>
    public bool RunTimersOnSchedule { get; set; } = true;

    public string[] Args { get; set; } = [];

    /// <summary>The hosting environment (Development for <c>grants up</c>); null for the usual environment variables' choice.</summary>
    public string? EnvironmentName { get; set; }

    /// <summary>Last word on services, after the function app registered its own (tests swap the clock here).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }
}
