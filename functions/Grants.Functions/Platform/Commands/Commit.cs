using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Platform.Commands;

/// <summary>What a command does to one aggregate: its new state and status, and the audit events and mail committed with them.</summary>
/// <param name="Index">Query columns to (re)write on the state row; null keeps the ones it has.</param>
public sealed record Commit<TState>(TState State, string Status, Change Change, IReadOnlyDictionary<string, string>? Index = null)
{
    /// <summary>Nothing to write: the command finds its work already done, and answers with the aggregate as stored.</summary>
    public static Commit<TState> Unchanged(StoredAggregate<TState> stored) => new(stored.State, stored.Status, Change.None);

    public bool ChangesNothing => Change.Events.Count == 0;
}
