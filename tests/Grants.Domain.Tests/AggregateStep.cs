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
        catch (Exception e) when (e is InvalidTransitionException or DomainRuleException or Grants.Domain.Rounds.RoundNotOpenException or Grants.Domain.Rounds.ControlGroupTooSmallException)
        {
            var after = data();
            if (!ReferenceEquals(before, after) && Json(before) != Json(after))
            {
                Assert.Fail($"a refused command changed the data ({e.Message})\nbefore: {Json(before)}\nafter:  {Json(after)}");
            }

            return null;
        }
    }

    /// <summary>
    /// One checked step of a sequence: runs the command (<see cref="Run"/>), then checks what every aggregate
    /// owes — its status is one its machine reaches; a command that took effect moved it only along the
    /// machine's transitions for the triggers it fires; and <paramref name="broken"/> (the aggregate's own
    /// invariants over the data before and after, null when they hold) finds nothing.
    /// </summary>
    public static void Check<TData>(StateMachineGraph machine, object step, Func<TData> data, Func<TData, Enum> status,
        Func<IReadOnlyList<string[]>> command, Func<TData, TData, string?> broken)
        where TData : class
    {
        var before = data();
        var firings = Run(data, command);
        var after = data();
        Assert.Contains(status(after).ToString(), machine.Reachable);
        if (firings is null)
        {
            return;
        }

        if (!machine.Leads(status(before).ToString(), status(after).ToString(), firings))
        {
            Assert.Fail($"{step} took {status(before)} to {status(after)}");
        }

        if (broken(before, after) is { } why)
        {
            Assert.Fail($"after {step}: {why}\nbefore: {Json(before)}\nafter:  {Json(after)}");
        }
    }

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, Options);
}
