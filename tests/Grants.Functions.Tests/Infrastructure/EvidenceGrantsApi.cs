using Grants.Functions.Platform.Storage;
using Grants.LocalHost;
using Grants.LocalHost.Services;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>
/// A host whose evidence containers live in a storage account of their own, as in Azure: a second
/// Azurite, so the two accounts differ in endpoint as they do there. Its storage calls can be made to
/// fail and its clock moved, as on <see cref="FaultyGrantsApi"/>.
/// </summary>
public sealed class EvidenceGrantsApi : FaultyGrantsApi
{
    private AzuriteProcess? _evidence;

    public override string? EvidenceConnectionString => _evidence?.ConnectionString;

    protected override async ValueTask StartDependenciesAsync() => _evidence = await AzuriteProcess.StartAsync(CancellationToken.None);

    protected override async ValueTask StopDependenciesAsync()
    {
        if (_evidence is not null)
        {
            await _evidence.DisposeAsync();
        }
    }

    protected override void Configure(LocalHostOptions options)
    {
        base.Configure(options);
        options.Settings[StorageAccount.EvidenceConnectionName] = EvidenceConnectionString;
    }
}

/// <summary>The tests that share one <see cref="EvidenceGrantsApi"/>; they run one class after the other.</summary>
[CollectionDefinition(nameof(EvidenceHost))]
public sealed class EvidenceHost : ICollectionFixture<EvidenceGrantsApi>;
