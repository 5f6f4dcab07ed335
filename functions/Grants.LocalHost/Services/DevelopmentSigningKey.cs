using Grants.LocalHost.Identity;

namespace Grants.LocalHost.Services;

/// <summary>
/// The key that signs development tokens on this machine: made once, kept in .grants/ (ignored by
/// git), shared by the local host and <c>grants dev-token</c>. Never used in Azure.
/// </summary>
public static class DevelopmentSigningKey
{
    public static string LoadOrCreate(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, ".grants", "dev-signing-key");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = DevelopmentTokens.NewSigningKey();
        try
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(file);
            writer.Write(key);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return File.ReadAllText(path).Trim(); // another process made it first
        }
    }
}
