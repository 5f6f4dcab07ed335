using System.Text.Json;
using System.Text.Json.Serialization;
using Grants.Domain.Common;

namespace Grants.Domain.Tests;

/// <summary>One step of a random command sequence against an aggregate whose data is a record.</summary>
public static class AggregateStep
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Runs a command. When the aggregate refuses it with an <see cref="InvalidTransitionException"/> or
    /// a <see cref="DomainRuleException"/>, checks that its data is exactly as before and returns null
    /// (any other exception fails the property); otherwise returns the trigger sequences the command may
    /// fire. The data records are immutable, so the one held from before the command still shows the
    /// state before it; two records are compared as JSON, since record equality compares their lists by
    /// reference.
    /// </summary>
    public static IReadOnlyList<string[]>? Run<TData>(Func<TData> data, Func<IReadOnlyList<string[]>> command)
        where TData : class
    {
        var before = data();
        try
        {
            return command();
        }
        catch (Exception e) when (e is InvalidTransitionException or DomainRuleException)
        {
            var after = data();
            if (!ReferenceEquals(before, after) && Json(before) != Json(after))
            {
                Assert.Fail($"a refused command changed the data ({e.Message})\nbefore: {Json(before)}\nafter:  {Json(after)}");
            }

            return null;
        }
    }

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, Options);
}
