namespace Grants.LocalHost.Services;

/// <summary>Finds the repository's root (where package.json and tools/ live) from the build output or working directory.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "tools", "azurite.js")) && File.Exists(Path.Combine(directory.FullName, "Grants.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the Grants repository root (the folder with Grants.sln and tools/azurite.js).");
    }
}
