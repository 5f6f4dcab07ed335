using Azure;
using Azure.Data.Tables;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Grants.Functions.Platform.Mail;

/// <summary>
/// Delivers committed outbox messages, at least once. A relay first claims a message (an ETag-guarded
/// update with a short lease), so two relays running at once never both send it; a relay that dies
/// after sending but before marking it sent leaves the lease to expire and the message is sent again
/// with the same Message-Id, which receivers use to drop the duplicate. Failures back off
/// exponentially; after <see cref="MailOptions.MaxAttempts"/> a message is parked as Failed, logged as
/// an error and listed for operators.
/// </summary>
public sealed partial class OutboxRelay(StorageAccount storage, OutboxIndex index, DeadLetters deadLetters, IMailTransport transport, IOptions<MailOptions> options, TimeProvider time, ILogger<OutboxRelay> logger)
{
    public const string Failed = "Failed";
    public const string MessageIdDomain = "grants";
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>Messages sent at once, each over its own SMTP session: a rush's receipts go out in minutes, not hours.</summary>
    private const int DeliveryConcurrency = 4;

    /// <summary>
    /// Sends the mail whose time has come, found through its pointers (<see cref="OutboxIndex"/>) a page at a time, for
    /// up to <see cref="OutboxIndex.RunBudget"/>: each message once claimed, then sent and recorded; one that fails is tried again
    /// after a growing wait, and parked after the last.
    /// </summary>
    /// <returns>How many messages were delivered.</returns>
    public async Task<int> RelayPendingAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var now = time.GetUtcNow();
        var started = time.GetTimestamp();
        var delivered = 0;
        var unfinished = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        await foreach (var page in index.DuePagesAsync(OutboxIndex.Mail, now, cancellationToken))
        {
            // An aggregate's pointers one after the other, so that a row two of them name is sent by the first and found sent
            // by the second (an aggregate's pointers share a partition, whose pages come one after the other).
            await Parallel.ForEachAsync(page.GroupBy(p => p.AggregateId), new ParallelOptions { MaxDegreeOfParallelism = DeliveryConcurrency, CancellationToken = cancellationToken }, async (ofAggregate, ct) =>
            {
                foreach (var pointer in ofAggregate)
                {
                    await RelayAsync(pointer, ct);
                }
            });
            if (time.GetElapsedTime(started) >= OutboxIndex.RunBudget)
            {
                break;
            }
        }

        if (!unfinished.IsEmpty)
        {
            throw new AggregateException($"{unfinished.Count} outbox message(s) could not be claimed or recorded; they are retried after their lease.", unfinished);
        }

        return delivered;

        async Task RelayAsync(OutboxPointer pointer, CancellationToken ct)
        {
            var waiting = new OutboxWaiting();
            try
            {
                foreach (var row in await OutboxIndex.RowsAsync(table, pointer, waiting, now, ct))
                {
                    var key = row.RowKey;
                    var due = row.GetDateTimeOffset("NextAttemptAt") ?? DateTimeOffset.MinValue;
                    if (row.GetString("Status") is not (OutboxStatus.Pending or OutboxStatus.Sending))
                    {
                        continue; // sent, or parked as Failed
                    }

                    if (due > now)
                    {
                        waiting.Add(key, due);
                    }
                    else if (await ClaimAsync(table, row, ct) is not { } claimed)
                    {
                        waiting.Add(key, now + ClaimLease); // another relay claimed it first
                    }
                    else if (await DeliverAsync(table, claimed, ct))
                    {
                        Interlocked.Increment(ref delivered);
                    }
                    else if (claimed.GetString("Status") == OutboxStatus.Pending)
                    {
                        waiting.Add(key, claimed.GetDateTimeOffset("NextAttemptAt") ?? now);
                    }
                }

                await index.SettleAsync(pointer, waiting.Rows, waiting.NextDue, ct);
            }
            catch (Exception e) when (StorageExceptions.IsTransient(e))
            {
                // Storage failed while claiming or recording a message: its lease runs out and a later run
                // delivers it (again, with the same Message-Id), as the pointer is still there. The others go on now.
                LogUnfinished(logger, e, pointer.Rows[0][AggregateStore.OutboxRowPrefix.Length..]);
                unfinished.Add(e);
            }
        }
    }

    /// <summary>Messages that exhausted their attempts, for operators to inspect and requeue.</summary>
    public Task<IReadOnlyList<TableEntity>> FailedAsync(CancellationToken cancellationToken) =>
        deadLetters.ListAsync(DeadLetters.Mail, Failed, OutboxStatus.Sent, cancellationToken);

    /// <summary>
    /// The message as it goes out. A letter (anything but a notice to staff) ends with the closing in its
    /// language, and replies to it reach the programme team rather than the sending address.
    /// </summary>
    public MimeMessage ToMessage(TableEntity row)
    {
        var letter = row.GetBoolean("Notice") != true;
        var body = row.GetString("Body") ?? string.Empty;
        var message = new MimeMessage
        {
            MessageId = $"{row.GetString("MessageId")}@{MessageIdDomain}",
            Subject = row.GetString("Subject"),
            Body = new TextPart("plain") { Text = letter ? LetterSignature.Sign(body, row.GetString("Language") ?? Domain.Common.Languages.Dutch, options.Value) : body },
            Date = row.GetDateTimeOffset("CreatedAt") ?? time.GetUtcNow(),
        };
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(row.GetString("To")));
        if (letter)
        {
            message.ReplyTo.Add(MailboxAddress.Parse(options.Value.MinistryMailbox));
        }

        return message;
    }

    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 30 * Math.Pow(2, attempts - 1)));

    private async Task<TableEntity?> ClaimAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        // The lease runs from the claim, not from the start of the run: a long run's late claims are as safe as its first.
        row["Status"] = OutboxStatus.Sending;
        row["NextAttemptAt"] = time.GetUtcNow() + ClaimLease;
        try
        {
            var response = await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag!.Value;
            return row;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null; // another relay claimed it first
        }
    }

    private async Task<bool> DeliverAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        row["Attempts"] = attempts;
        try
        {
            await transport.SendAsync([ToMessage(row)], cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            row["LastError"] = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
            if (attempts >= options.Value.MaxAttempts)
            {
                await deadLetters.RecordAsync(DeadLetters.Mail, row.PartitionKey, row.RowKey, cancellationToken);
                row["Status"] = Failed;
                LogParked(logger, e, row.GetString("MessageId"), attempts);
            }
            else
            {
                row["Status"] = OutboxStatus.Pending;
                row["NextAttemptAt"] = time.GetUtcNow() + Backoff(attempts);
                LogRetrying(logger, e, row.GetString("MessageId"), attempts);
            }

            await RecordAsync(table, row, cancellationToken);
            return false;
        }

        row["Status"] = OutboxStatus.Sent;
        row["SentAt"] = time.GetUtcNow();
        if (row.GetBoolean("Confidential") == true)
        {
            // The secret lives on only in the recipient's mailbox.
            row["Body"] = ErasedBody;
        }

        await RecordAsync(table, row, cancellationToken);
        return true;
    }

    /// <summary>
    /// Records the attempt under the claim's ETag. A 412 means the row changed since the claim: either this
    /// very update landed and its response was lost (the SDK's retry then met it), or the lease ran out and
    /// another run took the message over. The mail has gone out either way; the run goes on with the others.
    /// </summary>
    private async Task RecordAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
            if (!(current.HasValue && current.Value!.GetString("Status") == row.GetString("Status") && current.Value.GetInt32("Attempts") == row.GetInt32("Attempts")))
            {
                LogTakenOver(logger, row.GetString("MessageId"));
            }
        }
    }

    public const string ErasedBody = "(erased after delivery: it carried a personal link or code)";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MessageId} not delivered (attempt {Attempts}); will retry")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string? messageId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MessageId} could not be claimed or recorded as sent; it is delivered again after its lease")]
    private static partial void LogUnfinished(ILogger logger, Exception exception, string? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MessageId} was taken over by another relay run after its lease ran out; it may be delivered twice, with the same Message-Id")]
    private static partial void LogTakenOver(ILogger logger, string? messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MessageId} failed {Attempts} times and is parked as Failed; see GET /api/operations/outbox/failed")]
    private static partial void LogParked(ILogger logger, Exception exception, string? messageId, int attempts);
}
