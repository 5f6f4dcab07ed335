using System.CommandLine;
using System.Text.Json;
using Grants.Domain.Lottery;

namespace Grants.Cli.Commands;

/// <summary><c>grants lottery verify PROTOCOL.json</c>: recomputes a published draw from its protocol alone.</summary>
public static class LotteryCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("protocol") { Description = "A lottery protocol document (JSON), as published" };
        var verify = new Command("verify", "Recompute a draw from its protocol; prints 'verified' (exit 0) or the first mismatch (exit 1)") { file };
        verify.SetAction(parse => Verify(parse.GetValue(file)!, Console.Out));
        return new Command("lottery", "Work with lottery protocols") { verify };
    }

    public static int Verify(string path, TextWriter output)
    {
        LotteryProtocol protocol;
        try
        {
            protocol = LotteryProtocol.FromJson(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            output.WriteLine($"cannot read {path}: {e.Message}");
            return 2;
        }

        var result = LotteryVerifier.Verify(protocol);
        output.WriteLine(result.Verified ? "verified" : $"mismatch: {result.FirstMismatch}");
        return result.Verified ? 0 : 1;
    }
}
