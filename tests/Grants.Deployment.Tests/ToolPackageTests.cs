using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;

namespace Grants.Deployment.Tests;

/// <summary>
/// The command line as a .NET tool: `dotnet pack functions/Grants.Cli` makes the package the repository's tool
/// manifest names, it installs as a tool, and a command that needs no build answers with its own output only.
/// </summary>
[Collection(ReleaseBuilds.Name)]
public sealed class ToolPackageTests : IClassFixture<ToolPackageTests.InstalledTool>
{
    private readonly InstalledTool _tool;

    public ToolPackageTests(InstalledTool tool) => _tool = tool;

    [Fact]
    public void TheManifestNamesThePackageAndVersionThatPackMakes()
    {
        var project = XDocument.Load(Path.Combine(PublishPackageTests.PublishedApp.RepositoryRoot, "functions", "Grants.Cli", "Grants.Cli.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(PublishPackageTests.PublishedApp.RepositoryRoot, ".config", "dotnet-tools.json")));
        var tool = manifest.RootElement.GetProperty("tools").GetProperty(Property("PackageId").ToLowerInvariant());

        Assert.Equal(Property("Version"), tool.GetProperty("version").GetString());
        Assert.Equal([Property("ToolCommandName")], tool.GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void DevTokenPrintsOnlyAToken()
    {
        var (exit, output, error) = _tool.Run("dev-token", "--role", "ministry");

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var token = Assert.Single(lines);
        Assert.Matches(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", token.TrimEnd('\r'));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void DevTokenRefusesALifetimeThatHasAlreadyEnded(string hours)
    {
        var (exit, output, error) = _tool.Run("dev-token", "--role", "ministry", "--hours", hours);

        Assert.NotEqual(0, exit);
        Assert.Contains("--hours must be at least 1", error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.", output);
    }

    /// <summary>Packs the command line once per run and installs it as a tool into a folder of its own.</summary>
    public sealed class InstalledTool : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), $"grants-tool-{Guid.NewGuid():N}");

        public InstalledTool()
        {
            var packages = Path.Combine(_directory, "packages");
            Dotnet("pack", "functions/Grants.Cli", "-c", "Release", "-o", packages, "-nodeReuse:false", "--disable-build-servers");
            Dotnet("tool", "install", "Grants.Cli", "--tool-path", Path.Combine(_directory, "bin"), "--add-source", packages);
        }

        /// <summary>Runs the installed <c>grants</c> in the repository, where it finds the local signing key.</summary>
        public (int Exit, string Output, string Error) Run(params string[] arguments) =>
            Execute(Path.Combine(_directory, "bin", "grants"), arguments);

        public void Dispose()
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }

        private static void Dotnet(params string[] arguments)
        {
            var (exit, output, error) = Execute("dotnet", arguments);
            if (exit != 0)
            {
                throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({exit}):\n{output}\n{error}");
            }
        }

        private static (int Exit, string Output, string Error) Execute(string program, string[] arguments)
        {
            var start = new ProcessStartInfo(program)
            {
                WorkingDirectory = PublishPackageTests.PublishedApp.RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} did not finish in 8 minutes.");
            }

            return (process.ExitCode, output.Result, error.Result);
        }
    }
}

/// <summary>Tests that build the product in Release run one after another: concurrent builds of the same projects would collide.</summary>
[CollectionDefinition(Name)]
public sealed class ReleaseBuilds
{
    public const string Name = "Release builds";
}
