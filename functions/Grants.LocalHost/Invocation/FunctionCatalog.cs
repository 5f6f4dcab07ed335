using System.Reflection;
using System.Runtime.Loader;
using Grants.Functions.Platform.FunctionApp;

namespace Grants.LocalHost.Invocation;

/// <summary>Every function of <c>functions.metadata</c>, resolved for local hosting, and those that could not be.</summary>
public sealed class FunctionCatalog
{
    private FunctionCatalog(string directory, string routePrefix, IReadOnlyList<HostedFunction> functions, IReadOnlyList<FunctionNotHostableException> unhostable)
    {
        Directory = directory;
        RoutePrefix = routePrefix;
        Functions = functions;
        Unhostable = unhostable;
    }

    public string Directory { get; }

    public string RoutePrefix { get; }

    public IReadOnlyList<HostedFunction> Functions { get; }

    public IReadOnlyList<FunctionNotHostableException> Unhostable { get; }

    public static FunctionCatalog Load(string directory)
    {
        var hosted = new List<HostedFunction>();
        var unhostable = new List<FunctionNotHostableException>();
        foreach (var definition in FunctionAppFiles.ReadMetadata(directory))
        {
            try
            {
                hosted.Add(HostedFunction.Resolve(definition, name => LoadAssembly(directory, name)));
            }
            catch (FunctionNotHostableException e)
            {
                unhostable.Add(e);
            }
        }

        return new FunctionCatalog(directory, FunctionAppFiles.ReadRoutePrefix(directory), hosted, unhostable);
    }

    private static Assembly LoadAssembly(string directory, string name)
    {
        var loaded = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => a.GetName().Name == name);
        return loaded ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(directory, name + ".dll"));
    }
}
