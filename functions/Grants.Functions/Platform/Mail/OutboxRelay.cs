using Azure;
using Azure.Data.Tables;
using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Grants.Functions.Platform.Mail;

/// <summary>
/// Delivers committed outbox messages. Delivery is at least once: a message is marked sent only
/// after the transport accepted it, and every attempt carries the same Message-Id so receivers
/// can drop duplicates. Failures are counted on the message and logged; after
/// <see cref="MailOptions.MaxAttempts"/> the message is parked as failed and logged as an error.
/// </summary>
public sealed partial class OutboxRelay(StorageAccount storage, IMailTransport transport, IOptions<MailOptions> options, TimeProvider time, ILogger<OutboxRelay> logger)
{
    public const string Failed = "Failed";
    public const string MessageIdDomain = "grants";

    /// <returns>How many messages were delivered.</returns>
    public async Task<int> RelayPendingAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableNames.Aggregates, cancellationToken);
        var pending = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RowKey gt {AggregateStore.OutboxRowPrefix} and RowKey lt {AggregateStore.OutboxRowPrefix + "~"} and Status eq {OutboxStatus.Pending}"),
            cancellationToken: cancellationToken))
        {
            pending.Add(row);
        }

        var delivered = 0;
        foreach (var row in pending)
        {
            if (await DeliverAsync(table, row, cancellationToken))
            {
                delivered++;
            }
        }

        return delivered;
    }

    public MimeMessage ToMessage(TableEntity row)
    {
        var message = new MimeMessage
        {
            MessageId = $"{row.GetString("MessageId")}@{MessageIdDomain}",
            Subject = row.GetString("Subject"),
            Body = new TextPart("plain") { Text = row.GetString("Body") },
            Date = row.GetDateTimeOffset("CreatedAt") ?? time.GetUtcNow(),
        };
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(row.GetString("To")));
        return message;
    }

    private async Task<bool> DeliverAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        var attempts = (row.GetInt32("Attempts") ?? 0) + 1;
        try
        {
            await transport.SendAsync([ToMessage(row)], cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            row["Attempts"] = attempts;
            row["LastError"] = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
            if (attempts >= options.Value.MaxAttempts)
            {
                row["Status"] = Failed;
                LogParked(logger, e, row.GetString("MessageId"), attempts);
            }
            else
            {
                LogRetrying(logger, e, row.GetString("MessageId"), attempts);
            }

            await TryUpdateAsync(table, row, cancellationToken);
            return false;
        }

        row["Attempts"] = attempts;
        row["Status"] = OutboxStatus.Sent;
        row["SentAt"] = time.GetUtcNow();
        await TryUpdateAsync(table, row, cancellationToken);
        return true;
    }

    private static async Task TryUpdateAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Another relay instance handled it concurrently; the Message-Id lets receivers drop the duplicate.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MessageId} not delivered (attempt {Attempts}); will retry")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string? messageId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MessageId} failed {Attempts} times and is parked; fix the cause and reset its Status to Pending")]
    private static partial void LogParked(ILogger logger, Exception exception, string? messageId, int attempts);
}
