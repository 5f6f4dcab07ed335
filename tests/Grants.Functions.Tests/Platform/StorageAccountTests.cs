using Grants.Functions.Platform.Storage;
using Microsoft.Extensions.Configuration;

namespace Grants.Functions.Tests.Platform;

/// <summary>Which account each container is served from, as configured in Azure (by identity) and locally.</summary>
public sealed class StorageAccountTests
{
    private static readonly Dictionary<string, string?> DataAccountByIdentity = new()
    {
        ["GrantsStorage:tableServiceUri"] = "https://grantsdata.table.core.windows.net",
        ["GrantsStorage:blobServiceUri"] = "https://grantsdata.blob.core.windows.net",
        ["GrantsStorage:credential"] = "managedidentity",
        ["GrantsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
    };

    private static StorageAccount Configured(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void EvidenceContainersComeFromTheEvidenceAccountAndTheRestFromTheDataAccount()
    {
        var storage = Configured(new(DataAccountByIdentity)
        {
            ["GrantsEvidence:blobServiceUri"] = "https://grantsevidence.blob.core.windows.net",
            ["GrantsEvidence:credential"] = "managedidentity",
            ["GrantsEvidence:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Equal(["announcements", "audit-exports", "protocols"], ContainerNames.Evidence.Order(StringComparer.Ordinal));
        Assert.All(ContainerNames.Evidence, name => Assert.Equal("grantsevidence.blob.core.windows.net", storage.BlobServiceFor(name).Uri.Host));
        Assert.All(new[] { ContainerNames.Attachments, ContainerNames.Pools, "decisions" }, name => Assert.Equal("grantsdata.blob.core.windows.net", storage.BlobServiceFor(name).Uri.Host));
    }

    [Fact]
    public void EvidenceStaysInTheDataAccountWhereNoEvidenceAccountIsConfigured()
    {
        var storage = Configured(new(DataAccountByIdentity) { ["GrantsEvidence"] = "" });

        Assert.Equal("grantsdata.blob.core.windows.net", storage.BlobServiceFor(ContainerNames.Protocols).Uri.Host);
    }

    [Fact]
    public void AnEvidenceAccountConfiguredWithoutAnAddressIsRefused()
    {
        // A credential without an address must not quietly put the evidence in the data account.
        var settings = new Dictionary<string, string?>(DataAccountByIdentity) { ["GrantsEvidence:credential"] = "managedidentity" };

        var refused = Assert.Throws<InvalidOperationException>(() => Configured(settings));

        Assert.Contains("GrantsEvidence__blobServiceUri", refused.Message, StringComparison.Ordinal);
    }
}
