namespace Grants.Domain.Tests;

/// <summary>
/// An aggregate's state machine as its own generated diagram states it (<c>Diagram()</c>, the
/// machine's <c>GetInfo()</c> through <c>MermaidGraph.Format</c>), so that the property tests check
/// random commands against the machine itself rather than against a copy of the workflow.
/// </summary>
public sealed class StateMachineGraph
{
    private readonly IReadOnlyList<(string From, string To, string Trigger)> _transitions;

    private StateMachineGraph(string initial, IReadOnlyList<(string From, string To, string Trigger)> transitions)
    {
        _transitions = transitions;
        var reachable = new HashSet<string> { initial };
        var frontier = new Queue<string>([initial]);
        while (frontier.TryDequeue(out var state))
        {
            foreach (var (_, to, _) in transitions.Where(t => t.From == state))
            {
                if (reachable.Add(to))
                {
                    frontier.Enqueue(to);
                }
            }
        }

        Reachable = reachable;
    }

    public IReadOnlySet<string> Reachable { get; }

    /// <summary>Reads <c>From --> To : Trigger [guard]</c> lines and the <c>[*] --> Initial</c> line.</summary>
    public static StateMachineGraph Parse(string mermaid)
    {
        var initial = "";
        var transitions = new List<(string, string, string)>();
        foreach (var line in mermaid.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var arrow = line.Split(" --> ", 2);
            if (arrow.Length != 2)
            {
                continue;
            }

            if (arrow[0] == "[*]")
            {
                initial = arrow[1];
                continue;
            }

            var target = arrow[1].Split(" : ", 2);
            transitions.Add((arrow[0], target[0], target[1].Split(' ')[0]));
        }

        return new StateMachineGraph(initial, transitions);
    }

    public bool IsTerminal(string state) => _transitions.All(t => t.From != state);

    /// <summary>
    /// Whether one of the <paramref name="firings"/> — each a sequence of triggers fired in order —
    /// can lead from one state to the other. No firings at all: the command leaves the status alone.
    /// </summary>
    public bool Leads(string from, string to, IReadOnlyList<string[]> firings) =>
        firings.Count == 0 ? from == to : firings.Any(triggers => Destinations(from, triggers).Contains(to));

    private HashSet<string> Destinations(string from, string[] triggers)
    {
        var states = new HashSet<string> { from };
        foreach (var trigger in triggers)
        {
            states = [.. _transitions.Where(t => t.Trigger == trigger && states.Contains(t.From)).Select(t => t.To)];
        }

        return states;
    }
}
