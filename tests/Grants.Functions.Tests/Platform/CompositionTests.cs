using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Grants.Functions.Tests.Platform;

/// <summary>
/// Every function the host can invoke can be built from the services the app registers: a handler or store left out
/// of a feature's registration, or two services that need each other, fails here rather than as a 500 at run time.
/// </summary>
public sealed class CompositionTests
{
    [Fact]
    public void EveryServiceAndEveryFunctionCanBeBuilt()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddGrantsFunctions();
        var functions = typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();
        foreach (var function in functions)
        {
            builder.Services.AddTransient(function);
        }

        // Building with validation resolves the construction of every registered service, which finds missing and circular dependencies.
        using var provider = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.True(functions.Count > 50, $"Found only {functions.Count} function classes.");
    }
}
