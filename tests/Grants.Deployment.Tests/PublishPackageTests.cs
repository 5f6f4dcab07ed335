using System.Diagnostics;
using System.Text.Json;

namespace Grants.Deployment.Tests;

/// <summary>What Azure Functions needs from `dotnet publish functions/Grants.Functions`.</summary>
[Collection(ReleaseBuilds.Name)]
public sealed class PublishPackageTests : IClassFixture<PublishPackageTests.PublishedApp>
{
    private readonly PublishedApp _app;

    public PublishPackageTests(PublishedApp app) => _app = app;

    [Theory]
    [InlineData("host.json")]
    [InlineData("functions.metadata")]
    [InlineData("worker.config.json")]
    [InlineData("Grants.Functions.dll")]
    [InlineData("extensions.json")]
    public void PackageContains(string file) => Assert.True(File.Exists(Path.Combine(_app.Directory, file)), $"{file} is missing from the publish output");

    [Fact]
    public void WorkerConfigPointsAtTheFunctionAssembly()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(_app.Directory, "worker.config.json")));
        var description = config.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("Grants.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
    }

    [Fact]
    public void PublishedHostJsonIsTheRepositoryOne()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(PublishedApp.RepositoryRoot, "host.json")), File.ReadAllText(Path.Combine(_app.Directory, "host.json")));
    }

    [Fact]
    public void MetadataListsHttpAndTimerFunctions()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(_app.Directory, "functions.metadata")));
        var triggers = metadata.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Select(b => b.GetProperty("type").GetString())
            .ToHashSet();
        Assert.Contains("httpTrigger", triggers);
        Assert.Contains("timerTrigger", triggers);
    }

    /// <summary>Publishes once per test run, in Release, into a temporary folder.</summary>
    public sealed class PublishedApp : IDisposable
    {
        public PublishedApp()
        {
            Directory = Path.Combine(Path.GetTempPath(), $"grants-publish-{Guid.NewGuid():N}");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "publish", "functions/Grants.Functions", "-c", "Release", "-o", Directory, "-nodeReuse:false", "--disable-build-servers" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet publish did not finish in 8 minutes.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
            }
        }

        public static string RepositoryRoot { get; } = FindRoot();

        public string Directory { get; }

        public void Dispose()
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }

        private static string FindRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Grants.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("Repository root not found.");
        }
    }
}
