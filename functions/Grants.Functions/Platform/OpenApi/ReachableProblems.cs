using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Platform.OpenApi;

/// <summary>
/// The problems an HTTP function can answer with, read from its compiled code instead of declared beside it, so
/// that the document cannot drift from what the handlers do. From the function's entry point it follows every call
/// into the product's own assemblies (lambdas, async bodies and the implementations of the product's interfaces
/// included) and collects each <see cref="ProblemKind"/> the code names and each exception it throws that
/// <see cref="ExceptionProblems.Thrown"/> maps to a problem. The <see cref="RequestGate"/> is not followed but
/// taken step by step: only the checks that apply to the operation count (access, route values, body, If-Match,
/// Idempotency-Key). Failures nobody foresaw (<see cref="ExceptionProblems.Unforeseen"/>) apply to every operation.
/// </summary>
/// <remarks>
/// The result errs on the side of listing: a kind named on a path the operation never takes is listed too. The
/// opposite error is caught by the tests, which check every response they receive against the document.
/// What a subscriber to a committed event does is not the command's answer (docs/decisions/0016), so
/// <see cref="IEventSubscriber"/> implementations are not followed.
/// </remarks>
public sealed class ReachableProblems
{
    private static readonly IReadOnlyDictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Assembly, bool> Ours = new();

    private readonly Dictionary<(Module, int), MethodScan> _scans = [];
    private readonly Dictionary<(Module, int), List<MethodBase>> _overrides = [];

    public ReachableProblems(Assembly assembly)
    {
        var ours = new[] { assembly }
            .Concat(assembly.GetReferencedAssemblies().Where(IsOurName).Select(Assembly.Load))
            .Distinct();
        foreach (var type in ours.SelectMany(LoadableTypes).Where(t => !t.IsInterface))
        {
            IndexImplementations(type);
        }
    }

    /// <summary>The kinds <paramref name="function"/>'s entry point can answer with, the gate's checks that apply to it included.</summary>
    public IReadOnlySet<ProblemKind> Of(MethodInfo function, Access access, ApiOperationAttribute operation, bool hasRouteValues, string method)
    {
        var entries = new List<MethodBase> { function };
        var kinds = new HashSet<ProblemKind>(ExceptionProblems.Unforeseen);
        if (!access.AllowsAnonymous)
        {
            kinds.UnionWith([ProblemKind.Unauthenticated, ProblemKind.Forbidden]);
            if (method == "post")
            {
                entries.Add(Method(typeof(IdempotentRequests), nameof(IdempotentRequests.ExecuteAsync)));
                entries.Add(Method(typeof(IdempotentRequests), nameof(IdempotentRequests.ExecuteCreateAsync)));
            }
        }

        if (hasRouteValues)
        {
            entries.Add(Method(typeof(RouteValues), nameof(RouteValues.CheckRoute)));
        }

        if (operation.QueryParameters.Any(RouteValues.Query.ContainsKey))
        {
            entries.Add(Method(typeof(RouteValues), nameof(RouteValues.CheckQuery)));
        }

        if (operation.Request is not null)
        {
            entries.Add(Method(typeof(JsonBody), nameof(JsonBody.ReadAsync)));
        }

        if (operation.RequiresIfMatch)
        {
            entries.Add(Method(typeof(HttpResults), nameof(HttpResults.RequireIfMatch)));
        }

        kinds.UnionWith(Reachable(entries));
        return kinds;
    }

    /// <summary>
    /// Why <paramref name="kind"/> is reachable from <paramref name="entry"/>: the chain of methods from it to the one
    /// that names the kind, or null. For the engineer who wonders why the document lists a problem.
    /// </summary>
    public IReadOnlyList<string>? Explain(MethodBase entry, ProblemKind kind)
    {
        var walked = Walk([entry], kind);
        var chain = new List<string>();
        for (var at = walked.Found; at is { } step; at = walked.Parents[(Key(step.Method), step.Carries)])
        {
            chain.Add($"{step.Method.DeclaringType?.FullName}.{step.Method.Name}");
        }

        chain.Reverse();
        return chain.Count > 0 ? chain : null;
    }

    private static MethodInfo Method(Type type, string name) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance)
        ?? throw new InvalidOperationException($"{type.Name}.{name} is not there.");

    private HashSet<ProblemKind> Reachable(IEnumerable<MethodBase> entries) => Walk(entries, stopAt: null).Kinds;

    /// <summary>
    /// Follows the calls from <paramref name="entries"/>. A kind the code names counts only where every method on
    /// the way returns something that can carry it (a <see cref="Commands.Result{T}"/>, a failure, a response), so
    /// that a failure a helper consumes (an assignment skipping what exists) is not listed; a thrown exception counts
    /// wherever it is thrown.
    /// </summary>
    private Walked Walk(IEnumerable<MethodBase> entries, ProblemKind? stopAt)
    {
        var walked = new Walked();
        var pending = new Queue<(MethodBase Method, bool Carries)>();
        foreach (var entry in entries)
        {
            if (walked.Parents.TryAdd((Key(entry), true), null))
            {
                pending.Enqueue((entry, true));
            }
        }

        while (pending.TryDequeue(out var at))
        {
            var scan = Scan(at.Method);
            var found = scan.Thrown.Concat(at.Carries ? scan.Named : []).ToList();
            walked.Kinds.UnionWith(found);
            if (stopAt is not null && found.Contains(stopAt))
            {
                walked.Found = at;
                return walked;
            }

            foreach (var (callee, sameMethod) in scan.Callees)
            {
                var carries = at.Carries && (sameMethod || CarriesProblems(callee));
                if (walked.Parents.TryAdd((Key(callee), carries), at))
                {
                    pending.Enqueue((callee, carries));
                }
            }
        }

        return walked;
    }

    /// <summary>Whether what <paramref name="method"/> returns can carry a problem to its caller.</summary>
    private static bool CarriesProblems(MethodBase method) =>
        method is ConstructorInfo || (method is MethodInfo info && CanCarry(info.ReturnType));

    private static bool CanCarry(Type type) =>
        typeof(Microsoft.AspNetCore.Http.IResult).IsAssignableFrom(type)
        || type == typeof(Commands.Failure)
        || type == typeof(ProblemKind)
        || (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Commands.Result<>) || type.GetGenericArguments().Any(CanCarry)));

    private MethodScan Scan(MethodBase method)
    {
        if (_scans.TryGetValue(Key(method), out var known))
        {
            return known;
        }

        var scan = new MethodScan();
        _scans[Key(method)] = scan;
        if (method.GetCustomAttribute<StateMachineAttribute>() is { StateMachineType: { } machine }
            && machine.GetMethod(nameof(IAsyncStateMachine.MoveNext), BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is { } moveNext)
        {
            scan.Callees.Add((moveNext, true));
        }

        if (method.GetMethodBody()?.GetILAsByteArray() is not { } il)
        {
            return scan;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var opCode = ReadOpCode(il, ref at);
            if (opCode.OperandType is OperandType.InlineMethod or OperandType.InlineField)
            {
                var token = BitConverter.ToInt32(il, at);
                Record(scan, opCode, Resolve(method.Module, token, typeArguments, methodArguments));
            }

            at += OperandSize(opCode.OperandType, il, at);
        }

        return scan;
    }

    private void Record(MethodScan scan, OpCode opCode, MemberInfo? member)
    {
        switch (member)
        {
            case FieldInfo { IsStatic: true } field when field.DeclaringType == typeof(ProblemKind) && field.FieldType == typeof(ProblemKind):
                scan.Named.Add((ProblemKind)field.GetValue(null)!);
                break;
            case ConstructorInfo constructor when opCode == OpCodes.Newobj && typeof(Exception).IsAssignableFrom(constructor.DeclaringType):
                if (ExceptionProblems.KindOf(constructor.DeclaringType!) is { } kind)
                {
                    scan.Thrown.Add(kind);
                }

                break;
            case MethodBase callee when Followed(callee):
                scan.Callees.Add((callee, false));
                if (callee.IsVirtual && _overrides.TryGetValue(Key(callee), out var implementations))
                {
                    scan.Callees.AddRange(implementations.Select(i => (i, false)));
                }

                break;
        }
    }

    private static bool Followed(MethodBase method) =>
        method.DeclaringType is { } type
        && IsOurs(type.Assembly)
        && type != typeof(RequestGate)
        && type != typeof(ExceptionProblems)
        && type.Namespace != typeof(ReachableProblems).Namespace;

    private void IndexImplementations(Type type)
    {
        foreach (var contract in type.GetInterfaces().Where(i => IsOurs(i.Assembly) && i != typeof(IEventSubscriber)))
        {
            InterfaceMapping map;
            try
            {
                map = type.GetInterfaceMap(contract);
            }
            catch (ArgumentException)
            {
                continue;
            }

            for (var i = 0; i < map.InterfaceMethods.Length; i++)
            {
                AddOverride(map.InterfaceMethods[i], map.TargetMethods[i]);
            }
        }

        foreach (var method in type.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(m => m.IsVirtual))
        {
            var definition = method.GetBaseDefinition();
            if (definition != method && definition.DeclaringType is { } declaring && IsOurs(declaring.Assembly))
            {
                AddOverride(definition, method);
            }
        }
    }

    private void AddOverride(MethodBase declared, MethodBase implementation)
    {
        if (!_overrides.TryGetValue(Key(declared), out var list))
        {
            _overrides[Key(declared)] = list = [];
        }

        list.Add(implementation);
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Generic instantiations share their definition's token, so the same code is read once.</summary>
    private static (Module, int) Key(MethodBase method) => (method.Module, method.MetadataToken);

    private static bool IsOurs(Assembly assembly) => Ours.GetOrAdd(assembly, a => IsOurName(a.GetName()));

    private static bool IsOurName(AssemblyName name) => name.Name?.StartsWith("Grants.", StringComparison.Ordinal) == true;

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    private static OpCode ReadOpCode(byte[] il, ref int at)
    {
        var value = (short)il[at++];
        if (value == 0xFE)
        {
            value = (short)(0xFE00 | il[at++]);
        }

        return OpCodesByValue[value];
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    private sealed class MethodScan
    {
        /// <summary>Kinds the code names: they reach the caller as a returned failure or response.</summary>
        public HashSet<ProblemKind> Named { get; } = [];

        /// <summary>Kinds of the exceptions the code throws: they reach the caller whatever it returns.</summary>
        public HashSet<ProblemKind> Thrown { get; } = [];

        /// <summary>The methods it calls or makes delegates of; SameMethod for an async or iterator body, which returns through its kick-off method.</summary>
        public List<(MethodBase Method, bool SameMethod)> Callees { get; } = [];
    }

    private sealed class Walked
    {
        public HashSet<ProblemKind> Kinds { get; } = [];

        public Dictionary<((Module, int) Method, bool Carries), (MethodBase Method, bool Carries)?> Parents { get; } = [];

        public (MethodBase Method, bool Carries)? Found { get; set; }
    }
}
