using System.ComponentModel;
using System.Reflection;
using Grants.Functions.Platform.FunctionApp;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Grants.LocalHost.Invocation;

/// <summary>What one invocation supplies: the HTTP context for HTTP triggers, the timer for timer triggers, the message's text for queue triggers.</summary>
public sealed record InvocationInput(HttpContext? Http, TimerInfo? Timer, CancellationToken CancellationToken, string? QueueMessage = null);

/// <summary>
/// A function from <c>functions.metadata</c>, resolved to its class and method, with a binder per
/// parameter. Only the parameter kinds our function classes use are bound (the same ones the worker
/// binds for them); anything else makes the function unhostable, which a test reports.
/// </summary>
public sealed class HostedFunction
{
    private readonly Func<InvocationInput, object?>[] _binders;
    private readonly ObjectFactory _factory;

    private HostedFunction(FunctionEntry definition, BindingEntry trigger, Type type, MethodInfo method, Func<InvocationInput, object?>[] binders)
    {
        Definition = definition;
        Trigger = trigger;
        FunctionType = type;
        Method = method;
        _binders = binders;
        _factory = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
    }

    public FunctionEntry Definition { get; }

    public BindingEntry Trigger { get; }

    public Type FunctionType { get; }

    public MethodInfo Method { get; }

    public string Name => Definition.Name;

    public static HostedFunction Resolve(FunctionEntry definition, Func<string, Assembly> loadAssembly)
    {
        var trigger = definition.Trigger
            ?? throw new FunctionNotHostableException(definition.Name, "it has no trigger binding");
        if (!trigger.IsHttpTrigger && !trigger.IsTimerTrigger && !trigger.IsQueueTrigger)
        {
            throw new FunctionNotHostableException(definition.Name, $"trigger type '{trigger.Type}' is not supported by the local host");
        }

        var unsupportedBinding = definition.Bindings.FirstOrDefault(b =>
            b != trigger && !(string.Equals(b.Type, "http", StringComparison.OrdinalIgnoreCase) && b.Name == "$return"));
        if (unsupportedBinding is not null)
        {
            throw new FunctionNotHostableException(definition.Name, $"binding '{unsupportedBinding.Name}' of type '{unsupportedBinding.Type}' is not supported by the local host");
        }

        var separator = definition.EntryPoint.LastIndexOf('.');
        if (separator <= 0)
        {
            throw new FunctionNotHostableException(definition.Name, $"entry point '{definition.EntryPoint}' is not Type.Method");
        }

        var assembly = loadAssembly(Path.GetFileNameWithoutExtension(definition.ScriptFile));
        var typeName = definition.EntryPoint[..separator];
        var methodName = definition.EntryPoint[(separator + 1)..];
        var type = assembly.GetType(typeName, throwOnError: false)
            ?? throw new FunctionNotHostableException(definition.Name, $"type '{typeName}' is not in {assembly.GetName().Name}");
        var method = type.GetMethod(methodName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new FunctionNotHostableException(definition.Name, $"method '{methodName}' is not on {typeName}");

        var routeParameters = RouteParameterNames(trigger.Route);
        var binders = method.GetParameters()
            .Select(p => BinderFor(definition.Name, p, trigger, routeParameters))
            .ToArray();

        return new HostedFunction(definition, trigger, type, method, binders);
    }

    public async Task<object?> InvokeAsync(IServiceProvider services, InvocationInput input)
    {
        var instance = Method.IsStatic ? null : _factory(services, []);
        try
        {
            var arguments = _binders.Select(b => b(input)).ToArray();
            var returned = Method.Invoke(instance, arguments);
            return await UnwrapAsync(returned);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static async Task<object?> UnwrapAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult"
                    ? type.GetProperty(nameof(Task<object>.Result))!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            case not null when returned.GetType().IsGenericType && returned.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)returned.GetType().GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
                return await UnwrapAsync(asTask);
            default:
                return returned;
        }
    }

    private static Func<InvocationInput, object?> BinderFor(string function, ParameterInfo parameter, BindingEntry trigger, HashSet<string> routeParameters)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return input => input.CancellationToken;
        }

        if (trigger.IsHttpTrigger && type == typeof(HttpRequest))
        {
            return input => input.Http!.Request;
        }

        if (trigger.IsTimerTrigger && type == typeof(TimerInfo))
        {
            return input => input.Timer;
        }

        if (trigger.IsQueueTrigger && type == typeof(string) && parameter.Name == trigger.Name)
        {
            return input => input.QueueMessage;
        }

        if (trigger.IsHttpTrigger && parameter.Name is { } name && routeParameters.Contains(name))
        {
            var converter = TypeDescriptor.GetConverter(type);
            if (type != typeof(string) && !converter.CanConvertFrom(typeof(string)))
            {
                throw new FunctionNotHostableException(function, $"route parameter '{name}' has type {type.Name}, which cannot be converted from text");
            }

            return input =>
            {
                var raw = input.Http!.Request.RouteValues[name]?.ToString();
                if (raw is null || type == typeof(string))
                {
                    return raw;
                }

                try
                {
                    return converter.ConvertFromInvariantString(raw);
                }
                catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException)
                {
                    throw new BadHttpRequestException($"Route value '{name}' is not a valid {type.Name}.", StatusCodes.Status404NotFound, e);
                }
            };
        }

        throw new FunctionNotHostableException(function, $"parameter '{parameter.Name}' of type {type.Name} cannot be bound (use HttpRequest, route values by name, TimerInfo, the queue message as a string or CancellationToken)");
    }

    private static HashSet<string> RouteParameterNames(string? route)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(route))
        {
            return names;
        }

        var template = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(route);
        foreach (var parameter in template.Parameters)
        {
            names.Add(parameter.Name);
        }

        return names;
    }
}

public sealed class FunctionNotHostableException(string function, string reason)
    : Exception($"Function '{function}' cannot be hosted locally: {reason}.")
{
    public string Function { get; } = function;

    public string Reason { get; } = reason;
}
