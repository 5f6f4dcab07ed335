using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace Grants.Functions.Platform.Storage;

/// <summary>
/// The storage account holding all of Grants' state, configured the Functions way: a connection
/// string in <c>GrantsStorage</c> (falling back to <c>AzureWebJobsStorage</c>), or, in Azure with a
/// managed identity, <c>GrantsStorage__tableServiceUri</c> / <c>__blobServiceUri</c> with
/// <c>__credential=managedidentity</c> and <c>__clientId</c>. The clients' retry and pipeline come from
/// <see cref="StorageClientOptions"/>.
/// </summary>
public sealed class StorageAccount
{
    public const string ConnectionName = "GrantsStorage";
    public const string HostConnectionName = "AzureWebJobsStorage";
    public const string EvidenceConnectionName = "GrantsEvidence";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<BlobContainerClient>>> _containers = new();

    public StorageAccount(TableServiceClient tableService, BlobServiceClient blobService)
    {
        TableService = tableService;
        BlobService = blobService;
    }

    public StorageAccount(IConfiguration configuration)
        : this(configuration, new StorageClientOptions())
    {
    }

    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public StorageAccount(IConfiguration configuration, StorageClientOptions clientOptions)
    {
        var connectionString = configuration[ConnectionName] is { Length: > 0 } own ? own : configuration[HostConnectionName];
        if (!string.IsNullOrEmpty(connectionString))
        {
            TableService = new TableServiceClient(connectionString, clientOptions.Tables);
            BlobService = new BlobServiceClient(connectionString, clientOptions.Blobs);
            return;
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

        TableService = new TableServiceClient(new Uri(tableUri), credential, clientOptions.Tables);
        BlobService = new BlobServiceClient(new Uri(blobUri), credential, clientOptions.Blobs);
    }

    public TableServiceClient TableService { get; }

    public BlobServiceClient BlobService { get; }

    /// <summary>A table client, creating the table once per process on first use.</summary>
    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken) =>
        CreatedOnceAsync(_tables, name, async n =>
        {
            var client = TableService.GetTableClient(n);
            await client.CreateIfNotExistsAsync(CancellationToken.None);
            return client;
        }, cancellationToken);

    /// <summary>A blob container client, creating the (private) container once per process on first use.</summary>
    public Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken) =>
        CreatedOnceAsync(_containers, name, async n =>
        {
            var client = BlobService.GetBlobContainerClient(n);
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

    private static string? AccountUri(IConfigurationSection section, string service) =>
        section["accountName"] is { Length: > 0 } account ? $"https://{account}.{service}.core.windows.net" : null;

    private static TokenCredential Credential(IConfigurationSection section) =>
        string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(section["clientId"] is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
}
