using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// The storage account holding all of Grants' state, configured the Functions way: a connection
/// string in <c>GrantsStorage</c> (falling back to <c>AzureWebJobsStorage</c>), or, in Azure with a
/// managed identity, <c>GrantsStorage__tableServiceUri</c> / <c>__blobServiceUri</c> with
/// <c>__credential=managedidentity</c> and <c>__clientId</c>. The clients' retry and pipeline come from
/// <see cref="StorageClientOptions"/>.
/// Background work (<see cref="Work.WorkQueue"/>) is queued where the Functions host's queue triggers listen: the host's
/// account, <c>AzureWebJobsStorage</c> (a connection string, or <c>__queueServiceUri</c> with the same credential settings).
/// Beside it the evidence account, whose containers are write-once in Azure
/// (<see cref="ContainerNames.Evidence"/>, docs/decisions/0011): <c>GrantsEvidence</c>, or
/// <c>GrantsEvidence__blobServiceUri</c> with the same credential settings; where none is configured
/// (the local host, tests) the evidence containers live in the main account.
/// </summary>
public sealed class StorageAccount
{
    public const string ConnectionName = "GrantsStorage";
    public const string HostConnectionName = "AzureWebJobsStorage";
    public const string EvidenceConnectionName = "GrantsEvidence";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<BlobContainerClient>>> _containers = new();

    /// <param name="evidenceBlobService">The evidence account; the main account's <paramref name="blobService"/> when null.</param>
    public StorageAccount(TableServiceClient tableService, BlobServiceClient blobService, BlobServiceClient? evidenceBlobService = null, QueueServiceClient? hostQueueService = null)
    {
        TableService = tableService;
        BlobService = blobService;
        EvidenceBlobService = evidenceBlobService ?? blobService;
        _hostQueueService = hostQueueService;
    }

    public StorageAccount(IConfiguration configuration)
        : this(configuration, new StorageClientOptions())
    {
    }

    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public StorageAccount(IConfiguration configuration, StorageClientOptions clientOptions)
    {
        (TableService, BlobService) = MainAccount(configuration, clientOptions);
        EvidenceBlobService = EvidenceAccount(configuration, clientOptions) ?? BlobService;
        _hostQueueService = HostQueues(configuration, clientOptions);
    }

    private readonly QueueServiceClient? _hostQueueService;

    /// <summary>The queues of the Functions host's account, where queue-triggered functions listen.</summary>
    public QueueServiceClient HostQueueService => _hostQueueService
        ?? throw new InvalidOperationException($"No queue storage is configured: set {HostConnectionName} (a connection string) or {HostConnectionName}__queueServiceUri.");

    public TableServiceClient TableService { get; }

    /// <summary>The main account's blobs: documents that change or are deleted (attachments, pools, letters).</summary>
    private BlobServiceClient BlobService { get; }

    /// <summary>The evidence account's blobs (the main account's where none is configured).</summary>
    private BlobServiceClient EvidenceBlobService { get; }

    /// <summary>The account a container is served from: the evidence account for <see cref="ContainerNames.Evidence"/>, the main account for the rest.</summary>
    public BlobServiceClient BlobServiceFor(string container) =>
        ContainerNames.Evidence.Contains(container) ? EvidenceBlobService : BlobService;

    /// <summary>A table client, creating the table once per process on first use.</summary>
    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken) =>
        CreatedOnceAsync(_tables, name, async n =>
        {
            var client = TableService.GetTableClient(n);
            await client.CreateIfNotExistsAsync(CancellationToken.None);
            return client;
        }, cancellationToken);

    /// <summary>
    /// A blob container client in the account the container belongs to (<see cref="BlobServiceFor"/>),
    /// creating the (private) container once per process on first use. The only way to a container, so
    /// evidence cannot end up in the main account.
    /// </summary>
    public Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken) =>
        CreatedOnceAsync(_containers, name, async n =>
        {
            var client = BlobServiceFor(n).GetBlobContainerClient(n);
            await client.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            return client;
        }, cancellationToken);

    private static async Task<T> CreatedOnceAsync<T>(ConcurrentDictionary<string, Lazy<Task<T>>> cache, string name, Func<string, Task<T>> create, CancellationToken cancellationToken)
    {
        var creation = cache.GetOrAdd(name, n => new Lazy<Task<T>>(() => create(n)));
        try
        {
            return await creation.Value.WaitAsync(cancellationToken);
        }
        catch when (creation.Value.IsFaulted)
        {
            // Storage was unreachable: forget the failure so the next call tries again.
            cache.TryRemove(KeyValuePair.Create(name, creation));
            throw;
        }
    }

    private static (TableServiceClient Tables, BlobServiceClient Blobs) MainAccount(IConfiguration configuration, StorageClientOptions clientOptions)
    {
        var connectionString = configuration[ConnectionName] is { Length: > 0 } own ? own : configuration[HostConnectionName];
        if (!string.IsNullOrEmpty(connectionString))
        {
            return (new TableServiceClient(connectionString, clientOptions.Tables), new BlobServiceClient(connectionString, clientOptions.Blobs));
        }

        var section = configuration.GetSection(ConnectionName);
        if (!section.Exists())
        {
            section = configuration.GetSection(HostConnectionName);
        }

        var credential = Credential(section);
        var tableUri = section["tableServiceUri"] ?? AccountUri(section, "table");
        var blobUri = section["blobServiceUri"] ?? AccountUri(section, "blob");
        if (tableUri is null || blobUri is null)
        {
            throw new InvalidOperationException(
                $"No storage is configured: set {ConnectionName} (a connection string) or {ConnectionName}__tableServiceUri and {ConnectionName}__blobServiceUri.");
        }

        return (new TableServiceClient(new Uri(tableUri), credential, clientOptions.Tables), new BlobServiceClient(new Uri(blobUri), credential, clientOptions.Blobs));
    }

    /// <summary>The host account's queues as the Functions host finds them; null when nothing is set for them.</summary>
    private static QueueServiceClient? HostQueues(IConfiguration configuration, StorageClientOptions clientOptions)
    {
        if (configuration[HostConnectionName] is { Length: > 0 } connectionString)
        {
            return new QueueServiceClient(connectionString, clientOptions.Queues);
        }

        var section = configuration.GetSection(HostConnectionName);
        var queueUri = section["queueServiceUri"] ?? AccountUri(section, "queue");
        return queueUri is null ? null : new QueueServiceClient(new Uri(queueUri), Credential(section), clientOptions.Queues);
    }

    /// <summary>The evidence account as configured, the same ways as the main one; null when nothing is set for it.</summary>
    private static BlobServiceClient? EvidenceAccount(IConfiguration configuration, StorageClientOptions clientOptions)
    {
        if (configuration[EvidenceConnectionName] is { Length: > 0 } connectionString)
        {
            return new BlobServiceClient(connectionString, clientOptions.Blobs);
        }

        var section = configuration.GetSection(EvidenceConnectionName);
        if (!section.GetChildren().Any(setting => !string.IsNullOrEmpty(setting.Value)))
        {
            return null;
        }

        // Something is set for it, so it is meant to be separate: never fall back to the main account then.
        var blobUri = section["blobServiceUri"] ?? AccountUri(section, "blob")
            ?? throw new InvalidOperationException(
                $"The evidence account is configured incompletely: set {EvidenceConnectionName} (a connection string) or {EvidenceConnectionName}__blobServiceUri.");
        return new BlobServiceClient(new Uri(blobUri), Credential(section), clientOptions.Blobs);
    }

    private static string? AccountUri(IConfigurationSection section, string service) =>
        section["accountName"] is { Length: > 0 } account ? $"https://{account}.{service}.core.windows.net" : null;

    private static TokenCredential Credential(IConfigurationSection section) =>
        string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(section["clientId"] is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
}
