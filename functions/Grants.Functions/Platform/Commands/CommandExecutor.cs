using Azure;
using Grants.Functions.Platform.Events;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Platform.Commands;

/// <summary>
/// The one path every command takes through storage (docs/decisions/0014): load the aggregate, recognise the
/// current request's own earlier attempt and answer with what it wrote, otherwise act on the aggregate and
/// commit its new state with its audit events, outbox mail and events in one transaction, then hand the events to
/// the features that act on them (<see cref="EventDispatcher"/>). A handler says only what the command does;
/// not-found, the If-Match check, retries, the race of two creates and the hand-over of events are handled here.
/// </summary>
public sealed class CommandExecutor(AggregateStore store, EventDispatcher events)
{
    private static readonly IReadOnlyDictionary<string, string> NoIndex = new Dictionary<string, string>();

    /// <summary>Changes an existing aggregate.</summary>
    /// <param name="ifMatch">The ETag the client last read; a change made since is a conflict (409). Null for commands that need none.</param>
    /// <param name="act">The command: the new state, or the failure that stops it. Domain rules it breaks throw as usual.</param>
    public Task<Result<StoredAggregate<TState>>> ChangeAsync<TState>(
        IAggregates<TState> aggregates, string id, ETag? ifMatch, string actor, Func<StoredAggregate<TState>, Result<Commit<TState>>> act, CancellationToken cancellationToken) =>
        ChangeAsync(aggregates, id, ifMatch, actor, stored => Task.FromResult(act(stored)), cancellationToken);

    /// <summary>As above, for a command that first does work of its own (books a payment in the round's ledger) before its aggregate records it.</summary>
    public async Task<Result<StoredAggregate<TState>>> ChangeAsync<TState>(
        IAggregates<TState> aggregates, string id, ETag? ifMatch, string actor, Func<StoredAggregate<TState>, Task<Result<Commit<TState>>>> act, CancellationToken cancellationToken)
    {
        if (await aggregates.FindAsync(id, cancellationToken) is not { } stored)
        {
            return Failure.NotFound(aggregates.NotFoundDetail(id));
        }

        if (stored.WrittenByCurrentOperation)
        {
            // This request's earlier attempt committed the change and lost its answer: answer with what it wrote,
            // and do not act again (the rules would now refuse what has already happened). What it left of the
            // hand-over of its events is finished now.
            await events.DispatchAsync(stored.Id, cancellationToken);
            return stored;
        }

        if (ifMatch is { } expected && stored.ETag != expected)
        {
            throw new ConcurrencyConflictException(id);
        }

        var outcome = await act(stored);
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        var commit = outcome.Value!;
        if (commit.ChangesNothing)
        {
            return stored;
        }

        // The client's ETag goes into the write as well, so that the table checks it again atomically.
        var current = ifMatch is { } tag ? stored with { ETag = tag } : stored;
        var saved = await store.UpdateAsync(current, commit.Status, commit.State, actor, commit.Change, commit.Index ?? NoIndex, cancellationToken);
        await HandOverAsync(saved.Id, commit.Change, cancellationToken);
        return saved;
    }

    private Task HandOverAsync(string id, Change change, CancellationToken cancellationToken) =>
        change.Outbox.Count > 0 ? events.DispatchAsync(id, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// As <see cref="ChangeAsync{TState}"/> for a command whose work commits through a service of its own (closing a
    /// round tells every applicant): load, answer with the aggregate when the current operation wrote it, else run
    /// <paramref name="act"/>, which commits and returns what it stored.
    /// </summary>
    public async Task<Result<StoredAggregate<TState>>> ActAsync<TState>(
        IAggregates<TState> aggregates, string id, Func<StoredAggregate<TState>, Task<StoredAggregate<TState>>> act, CancellationToken cancellationToken)
    {
        if (await aggregates.FindAsync(id, cancellationToken) is not { } stored)
        {
            return Failure.NotFound(aggregates.NotFoundDetail(id));
        }

        return stored.WrittenByCurrentOperation ? stored : await act(stored);
    }

    /// <summary>
    /// Creates an aggregate under <paramref name="id"/>. When the id is derived from the request's Idempotency-Key,
    /// a create that finds the aggregate already there answers with it if the same operation wrote it (its response
    /// was lost), and is refused as already existing otherwise.
    /// </summary>
    public async Task<Result<StoredAggregate<TState>>> CreateAsync<TState>(
        IAggregates<TState> aggregates, string id, string actor, Func<Result<Commit<TState>>> create, CancellationToken cancellationToken)
    {
        var outcome = create();
        if (outcome.Failure is { } failure)
        {
            return failure;
        }

        var commit = outcome.Value!;
        try
        {
            var created = await store.CreateAsync(aggregates.Type, id, commit.Status, commit.State, actor, commit.Change, commit.Index ?? NoIndex, cancellationToken);
            await HandOverAsync(created.Id, commit.Change, cancellationToken);
            return created;
        }
        catch (AggregateExistsException) when (RequestOperation.Id is not null)
        {
            // The same operation ran before and its answer was lost: one effect, the same answer.
            if (await store.FindOwnCreationAsync<TState>(id, cancellationToken) is not { } own)
            {
                return Failure.AlreadyExists(aggregates.ExistsDetail(id));
            }

            await events.DispatchAsync(own.Id, cancellationToken);
            return own;
        }
        catch (AggregateExistsException)
        {
            return Failure.AlreadyExists(aggregates.ExistsDetail(id));
        }
    }
}

/// <summary>One kind of aggregate as the executor needs it: its stored type, how to find one, and how to say that one is missing or already there.</summary>
public interface IAggregates<TState>
{
    string Type { get; }

    /// <summary>The aggregate, or null when there is none under <paramref name="id"/> (including an id of another form).</summary>
    Task<StoredAggregate<TState>?> FindAsync(string id, CancellationToken cancellationToken);

    string NotFoundDetail(string id);

    string ExistsDetail(string id) => $"{Type} {id} exists already.";
}
