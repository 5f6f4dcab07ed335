using System.Net;
using Grants.Functions.Platform.FunctionApp;
using Grants.Functions.Tests.Infrastructure;
using Grants.LocalHost.Invocation;
using Grants.LocalHost.Triggers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Functions.Tests.Platform;

/// <summary>The local host serves every function that Azure would (docs/design.md §1).</summary>
public sealed class LocalHostingTests(GrantsApi api)
{
    [Fact]
    public void EveryFunctionInMetadataCanBeHostedLocally()
    {
        var metadata = FunctionAppFiles.ReadMetadata(AppContext.BaseDirectory);
        var catalog = FunctionCatalog.Load(AppContext.BaseDirectory);

        Assert.NotEmpty(metadata);
        Assert.Empty(catalog.Unhostable.Select(e => e.Message));
        Assert.Equal(metadata.Select(f => f.Name).Order(), catalog.Functions.Select(f => f.Name).Order());
    }

    [Fact]
    public void EveryHttpTriggerIsMappedAtItsAzureRouteAndMethods()
    {
        var endpoints = api.Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var functions = FunctionAppFiles.ReadMetadata(AppContext.BaseDirectory).Where(f => f.Trigger!.IsHttpTrigger).ToList();

        Assert.NotEmpty(functions);
        foreach (var function in functions)
        {
            var endpoint = Assert.Single(endpoints, e => e.DisplayName == function.Name);
            Assert.Equal($"api/{function.Trigger!.Route}", endpoint.RoutePattern.RawText!.TrimStart('/'));
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            Assert.Equal((function.Trigger.Methods ?? []).Select(m => m.ToUpperInvariant()).Order(), methods.Order());
        }
    }

    [Fact]
    public void EveryTimerTriggerHasAValidSchedule()
    {
        var timers = api.Host.Timers;
        var catalog = FunctionCatalog.Load(AppContext.BaseDirectory);
        var timerFunctions = catalog.Functions.Where(f => f.Trigger.IsTimerTrigger).ToList();

        Assert.NotEmpty(timerFunctions);
        Assert.All(timerFunctions, f => Assert.NotNull(timers.Schedule(f).GetNextOccurrence(DateTime.UtcNow)));
    }

    [Fact]
    public void RoutePrefixComesFromHostJson()
    {
        Assert.Equal("api", FunctionAppFiles.ReadRoutePrefix(AppContext.BaseDirectory));
    }

    [Fact]
    public async Task ApiReferencePageIsServedLocally()
    {
        using var client = api.Anonymous();
        var response = await client.GetAsync("api-reference/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void FunctionWithUnsupportedBindingIsReportedNotHosted()
    {
        var entry = new FunctionEntry("Queued", "Grants.Functions.dll", "Grants.Functions.Platform.Mail.RelayOutbox.Run",
            [new BindingEntry("message", "serviceBusTrigger", "In")]);

        var error = Assert.Throws<FunctionNotHostableException>(() => HostedFunction.Resolve(entry, _ => typeof(TimerTriggers).Assembly));

        Assert.Contains("serviceBusTrigger", error.Reason);
    }
}
