namespace Grants.Functions.Tests.Infrastructure;

public static class RepositoryPaths
{
    public static string Root { get; } = Grants.LocalHost.Services.RepositoryRoot.Find();
}
