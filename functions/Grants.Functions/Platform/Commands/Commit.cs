using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Platform.Commands;

/// <summary>What a command does to one aggregate: its new state and status, and the audit events and mail committed with them.</summary>
/// <param name="Index">Query columns to (re)write on the state row; null keeps the ones it has.</param>
public sealed record Commit<TState>(TState State, string Status, Change Change, IReadOnlyDictionary<string, string>? Index = null);
