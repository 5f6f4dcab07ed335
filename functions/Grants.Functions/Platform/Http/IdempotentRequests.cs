using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grants.Functions.Platform.Http;

/// <summary>
/// Idempotency-Key handling for POST (docs/design.md §2.1). The first request with a key reserves it,
/// runs, and stores its response; a replay with the same body gets that response back without a
/// second effect; the same key with another body gets 422. A reservation whose holder died expires
/// after <see cref="ApiOptions.IdempotencyLease"/> so a retry can take over; commands derive their
/// ids from the key or recognise their own earlier write (<see cref="RequestOperation"/>), so such a
/// takeover still has one effect.
/// </summary>
public sealed class IdempotentRequests(StorageAccount storage, TimeProvider time, IOptions<ApiOptions> options, ILogger<IdempotentRequests> logger) : IIndexRepair
{
    public const string HeaderName = "Idempotency-Key";
    private const int BodyChunkBytes = 60 * 1024;
    private const int MaxBodyChunks = 15;

    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= 255 && key.All(c => c is >= '!' and <= '~');

    /// <summary>A stable id for what the caller asked with this key: used by commands that create things.</summary>
    public static string OperationId(Caller caller, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller.Subject}\n{key}")));

    public async Task<IResult> ExecuteAsync(HttpRequest request, Caller caller, string key, Func<Task<IResult>> execute, CancellationToken cancellationToken)
    {
        if (!IsValidKey(key))
        {
            return Problems.Of(ProblemKind.MalformedRequest, $"{HeaderName} must be 1 to 255 visible ASCII characters.");
        }

        var fingerprint = await FingerprintAsync(request, cancellationToken);
        if (fingerprint is null)
        {
            return Problems.Of(ProblemKind.PayloadTooLarge, $"The body may be at most {options.Value.MaxJsonBodyBytes} bytes.");
        }

        var table = await storage.TableAsync(TableNames.Idempotency, cancellationToken);
        var partition = OperationId(caller, key);
        var owner = Guid.NewGuid().ToString("N");
        var reservation = await ReserveAsync(table, partition, owner, fingerprint, cancellationToken);
        if (reservation.Answer is not null)
        {
            return reservation.Answer;
        }

        // Beside the command, not before it: a note that is lost keeps a response longer, and delays no request.
        var noted = NoteForForgettingAsync(table, partition, reservation.StartedAt);
        IResult result;
        try
        {
            using (RequestOperation.Begin(partition, reservation.StartedAt))
            {
                result = await execute();
            }
        }
        catch
        {
            await noted;
            await ReleaseAsync(table, partition, reservation.ETag);
            throw;
        }

        await noted;

        var captured = await CapturedResponse.CaptureAsync(result, request.HttpContext);
        if (captured.StatusCode >= 500 || captured.StatusCode is StatusCodes.Status409Conflict or StatusCodes.Status429TooManyRequests)
        {
            // Transient outcomes are not remembered: the client should be able to retry them.
            await ReleaseAsync(table, partition, reservation.ETag);
            return captured;
        }

        try
        {
            await CompleteAsync(table, partition, owner, fingerprint, captured, reservation.ETag, reservation.StartedAt, cancellationToken);
        }
        catch (Exception e) when (StorageExceptions.IsTransient(e))
        {
            // The command's effect is committed: the caller gets its answer. Without the stored
            // response a retry runs the command again after the lease, and the command recognises
            // its own earlier write by the operation id.
            logger.LogWarning(e, "Could not store the response for idempotency reservation {Reservation}", partition);
        }

        return captured;
    }

    /// <summary>
    /// For a command that creates one aggregate under an id it derives from the request (so a retry
    /// meets the first attempt's create) and answers with that aggregate: the key needs no reservation
    /// and no stored response, which would cost two storage calls of their own. The create records the
    /// operation and the request's fingerprint with the aggregate's first audit event, in the same
    /// transaction; a retry finds the aggregate there and answers with it as it is now — the original
    /// response when nothing changed since, the usual case — and the same key with another body gets
    /// 422. Concurrent attempts race on the create, and all of them answer with the one aggregate.
    /// A refusal stores nothing and changes nothing, so a retry of it is decided afresh.
    /// </summary>
    public async Task<IResult> ExecuteCreateAsync(HttpRequest request, Caller caller, string key, Func<Task<IResult>> execute, CancellationToken cancellationToken)
    {
        if (!IsValidKey(key))
        {
            return Problems.Of(ProblemKind.MalformedRequest, $"{HeaderName} must be 1 to 255 visible ASCII characters.");
        }

        if (await FingerprintAsync(request, cancellationToken) is not { } fingerprint)
        {
            return Problems.Of(ProblemKind.PayloadTooLarge, $"The body may be at most {options.Value.MaxJsonBodyBytes} bytes.");
        }

        using (RequestOperation.BeginCreate(OperationId(caller, key), fingerprint))
        {
            return await execute();
        }
    }

    /// <summary>The partitions that note when each key was first used, so that the sweep finds the old ones by key (docs/decisions/0018).</summary>
    private const int ForgetPartitions = 8;

    private const string ForgetPrefix = "forget-";

    private static string ForgetPartitionOf(string reservation) => ForgetPrefix + (Convert.ToInt32(reservation[..2], 16) % ForgetPartitions);

    private static string ForgetRowKey(DateTimeOffset startedAt, string reservation) => $"{startedAt.UtcTicks:D19}|{reservation}";

    /// <summary>Notes the reservation under the time its key was first used (again for a takeover, which keeps that time).</summary>
    private async Task NoteForForgettingAsync(TableClient table, string reservation, DateTimeOffset startedAt)
    {
        try
        {
            await table.UpsertEntityAsync(new TableEntity(ForgetPartitionOf(reservation), ForgetRowKey(startedAt, reservation)), TableUpdateMode.Replace, CancellationToken.None);
        }
        catch (Exception e) when (e is RequestFailedException || StorageExceptions.IsTransient(e))
        {
            logger.LogError(e, "Could not note idempotency reservation {Reservation} for forgetting: its response is kept past the retention period", reservation);
        }
    }

    /// <summary>
    /// Forgets the responses of keys first used before <paramref name="before"/>, found through their notes: each
    /// note's partition read up to that time, each response it names deleted, then the note.
    /// </summary>
    /// <returns>How many responses were forgotten.</returns>
    public async Task<int> ForgetAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Idempotency, cancellationToken);
        var forgotten = 0;
        for (var i = 0; i < ForgetPartitions; i++)
        {
            var due = TableClient.CreateQueryFilter($"PartitionKey eq {ForgetPrefix + i} and RowKey lt {ForgetRowKey(before, "~")}");
            await foreach (var note in table.QueryAsync<TableEntity>(due, cancellationToken: cancellationToken))
            {
                var reservation = note.RowKey[(note.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..];
                var stored = await table.GetEntityIfExistsAsync<TableEntity>(reservation, "", cancellationToken: cancellationToken);
                if (stored.HasValue && (stored.Value!.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue) < before)
                {
                    await DeleteIfThereAsync(table, reservation, "", cancellationToken);
                    forgotten++;
                }

                await DeleteIfThereAsync(table, note.PartitionKey, note.RowKey, cancellationToken);
            }
        }

        return forgotten;
    }

    private static async Task DeleteIfThereAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            // Gone already: a run before this one got this far.
        }
    }

    public string Indexes => "the remembered responses by the time their key was first used";

    /// <summary>
    /// Notes every remembered response under the time its key was first used, where no note is: the reservations are
    /// the range of keys below the notes' partitions (a reservation's key is a lowercase hex hash). A response stored
    /// before it kept that time is noted under when it was stored, at most a lease after.
    /// </summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Idempotency, cancellationToken);
        var written = 0;
        await foreach (var reservation in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {"0"} and PartitionKey lt {ForgetPrefix} and RowKey eq {""}"),
            select: ["PartitionKey", "StartedAt", "Timestamp"], cancellationToken: cancellationToken))
        {
            if ((reservation.GetDateTimeOffset("StartedAt") ?? reservation.Timestamp) is { } startedAt
                && await IndexRows.InsertIfMissingAsync(table, new TableEntity(ForgetPartitionOf(reservation.PartitionKey), ForgetRowKey(startedAt, reservation.PartitionKey)), cancellationToken))
            {
                written++;
            }
        }

        return written;
    }

    private async Task<(IResult? Answer, ETag ETag, DateTimeOffset StartedAt)> ReserveAsync(TableClient table, string partition, string owner, string fingerprint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entity = new TableEntity(partition, "")
        {
            ["Fingerprint"] = fingerprint,
            ["Owner"] = owner,
            ["State"] = "Pending",
            ["LeaseUntil"] = now + options.Value.IdempotencyLease,
            ["StartedAt"] = now,
        };
        try
        {
            var added = await table.AddEntityAsync(entity, cancellationToken);
            return (null, added.Headers.ETag!.Value, now);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            var existing = (await table.GetEntityAsync<TableEntity>(partition, "", cancellationToken: cancellationToken)).Value;
            var startedAt = existing.GetDateTimeOffset("StartedAt") ?? now;
            if (existing.GetString("Owner") == owner)
            {
                return (null, existing.ETag, startedAt); // our own add, retried by the SDK after a lost response
            }

            if (existing.GetString("Fingerprint") != fingerprint)
            {
                return (Problems.Of(ProblemKind.IdempotencyKeyReused, "Use a new Idempotency-Key for a different request."), default, default);
            }

            if (existing.GetString("State") == "Completed")
            {
                return (Replay(existing), default, default);
            }

            if (existing.GetDateTimeOffset("LeaseUntil") > now)
            {
                return (Problems.Of(ProblemKind.IdempotencyInProgress, "Retry after the first request has finished."), default, default);
            }

            existing["Owner"] = owner;
            existing["LeaseUntil"] = now + options.Value.IdempotencyLease;
            try
            {
                var updated = await table.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                logger.LogWarning("Took over an expired idempotency reservation {Reservation}", partition);
                return (null, updated.Headers.ETag!.Value, startedAt);
            }
            catch (RequestFailedException conflict) when (conflict.Status == StatusCodes.Status412PreconditionFailed)
            {
                return (Problems.Of(ProblemKind.IdempotencyInProgress, "Retry after the first request has finished."), default, default);
            }
        }
    }

    private async Task CompleteAsync(TableClient table, string partition, string owner, string fingerprint, CapturedResponse response, ETag etag, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(partition, "")
        {
            ["Fingerprint"] = fingerprint,
            ["Owner"] = owner,
            ["State"] = "Completed",
            // Kept from the reservation: the note it is forgotten by names this time, and a repair finds it here.
            ["StartedAt"] = startedAt,
            ["StatusCode"] = response.StatusCode,
            ["ContentType"] = response.ContentType,
            ["Location"] = response.Location,
            ["ETag"] = response.ETag,
        };
        var chunks = response.Body.Chunk(BodyChunkBytes).ToList();
        if (chunks.Count > MaxBodyChunks)
        {
            logger.LogWarning("Response for idempotency reservation {Reservation} is too large to remember; a replay will run again", partition);
            await ReleaseAsync(table, partition, etag);
            return;
        }

        entity["BodyChunks"] = chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            entity[$"Body{i}"] = chunks[i];
        }

        AzureTableLimits.CheckEntity(entity);
        try
        {
            await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
        {
            // Our lease expired and a retry took over; it will store the response itself.
            logger.LogWarning("Idempotency reservation {Reservation} was taken over before it completed", partition);
        }
    }

    /// <summary>
    /// Frees the key for an immediate retry. The reservation stays, with its lease ended, so the retry
    /// takes it over and keeps the operation's start: the command recognises what the released attempt
    /// may already have committed.
    /// </summary>
    private async Task ReleaseAsync(TableClient table, string partition, ETag etag)
    {
        try
        {
            await table.UpdateEntityAsync(new TableEntity(partition, "") { ["State"] = "Released", ["LeaseUntil"] = DateTimeOffset.UnixEpoch }, etag, TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status is StatusCodes.Status404NotFound or StatusCodes.Status412PreconditionFailed)
        {
            // Already gone or taken over by a retry: nothing of ours to release.
        }
        catch (Exception e) when (StorageExceptions.IsTransient(e))
        {
            // Storage is failing: the reservation stays until its lease runs out, then a retry takes it over.
            logger.LogWarning(e, "Could not release idempotency reservation {Reservation}", partition);
        }
    }

    private static CapturedResponse Replay(TableEntity stored)
    {
        var chunks = stored.GetInt32("BodyChunks") ?? 0;
        var body = Enumerable.Range(0, chunks).SelectMany(i => stored.GetBinary($"Body{i}") ?? []).ToArray();
        return new CapturedResponse(
            stored.GetInt32("StatusCode") ?? StatusCodes.Status200OK,
            stored.GetString("ContentType"),
            stored.GetString("Location"),
            stored.GetString("ETag"),
            body);
    }

    private async Task<string?> FingerprintAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n"));
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > options.Value.MaxJsonBodyBytes)
            {
                return null;
            }

            hash.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
