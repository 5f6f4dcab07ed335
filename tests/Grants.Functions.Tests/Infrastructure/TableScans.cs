using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// Every table query the product sends during the run, in every test host's storage pipeline: a query whose filter
/// does not begin with a PartitionKey equality reads the whole account, and grows with everything stored. Each is
/// recorded under the product method that sent it, so that the run can refuse any that is not known
/// (<see cref="Known"/>, the list that must shrink to nothing) — a new scan fails the run where it was added.
/// </summary>
public sealed partial class TableScans : HttpPipelinePolicy
{
    /// <summary>
    /// The product's whole-account table queries: none (docs/decisions/0018, last part). Never add one.
    /// </summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);

    /// <summary>The run's recorder, in every test host's storage pipeline.</summary>
    public static TableScans Recorder { get; } = new();

    /// <summary>The scans this recorder has seen, by the method that sent them, each with a filter it sent.</summary>
    public IReadOnlyDictionary<string, string> Seen => _seen;

    /// <summary>The scans the run's recorder has seen so far.</summary>
    public static IReadOnlyDictionary<string, string> Recorded => Recorder._seen;

    /// <summary>The scans seen that are not <see cref="Known"/>: empty, or the run has a new one.</summary>
    public static IReadOnlyList<string> Unknown() => [.. Recorded.Where(s => !Known.Contains(s.Key)).Select(s => $"{s.Key}: $filter={s.Value}").Order(StringComparer.Ordinal)];

    /// <summary>
    /// Whether a query's filter is served from the partition key: it begins with a PartitionKey equality, or a range of
    /// partition keys (ge … and lt …), alone or joined by "and".
    /// </summary>
    public static bool NamesOnePartition(string? filter) => filter is not null && KeyedFilter().IsMatch(filter);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message.Request);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message.Request);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(Request request)
    {
        // A table query is a GET of "/{account}/{table}()"; a point read names its keys inside the parentheses.
        if (request.Method != RequestMethod.Get || !request.Uri.Path.EndsWith("()", StringComparison.Ordinal))
        {
            return;
        }

        var filter = System.Web.HttpUtility.ParseQueryString(request.Uri.Query)["$filter"];
        if (!NamesOnePartition(filter))
        {
            _seen.TryAdd(Sender(), filter ?? "(none)");
        }
    }

    /// <summary>The product method that asked: the first frame outside the storage plumbing and the SDK, with an async method by its own name.</summary>
    private static string Sender()
    {
        foreach (var frame in new StackTrace(false).GetFrames())
        {
            if (frame.GetMethod() is not { DeclaringType: { } type } || type.Assembly != typeof(Grants.Functions.Platform.Storage.AggregateStore).Assembly)
            {
                continue;
            }

            // An async method runs as MoveNext of a nested "<Name>d__N"; a lambda as "<Name>b__N" of a "<>c…" class.
            var (owner, name) = (type, (string?)null);
            while (owner.Name.StartsWith('<') && owner.DeclaringType is { } outer)
            {
                name ??= Inner(owner.Name);
                owner = outer;
            }

            name ??= Inner(frame.GetMethod()!.Name) ?? frame.GetMethod()!.Name;
            if (owner == typeof(Grants.Functions.Platform.Storage.AggregateStore) && name is "QueryAsync" or "ListAsync")
            {
                continue; // the generic queries: their caller says what is asked
            }

            return $"{owner.Name}.{name}";
        }

        return "(outside the product)";
    }

    /// <summary>"Name" from a compiler-generated "&lt;Name&gt;…" or "&lt;&lt;Name&gt;…&gt;…"; null where there is none ("&lt;&gt;c").</summary>
    private static string? Inner(string generated)
    {
        var name = generated.TrimStart('<');
        var end = name.IndexOf('>', StringComparison.Ordinal);
        return end > 0 && generated.StartsWith('<') ? name[..end] : null;
    }

    [GeneratedRegex(@"^PartitionKey (?:eq '(?:[^']|'')*'|ge '(?:[^']|'')*' and PartitionKey lt '(?:[^']|'')*')(?: and |$)")]
    private static partial Regex KeyedFilter();
}
