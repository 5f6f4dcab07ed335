using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grants.Cli.Documents;
using Grants.Domain.Lottery;
using Grants.Domain.Common;

namespace Grants.Cli.Commands;

/// <summary>What <c>grants lottery verify</c> is asked to check: the protocol, and what it must match that was published before the draw.</summary>
/// <param name="Announcements">A file or an http(s) URL holding the round's announcements (GET /api/rounds/{id}/lottery/announcements).</param>
/// <param name="Commitments">Commitments in commitment order, comma-separated, as published before the draw.</param>
/// <param name="Budgets">Either one budget in euro cents, or STRATUM=CENTS for every stratum.</param>
/// <param name="PlanHash">The hash of the analysis plan the round committed to before the draw.</param>
/// <param name="Extends">When <paramref name="Protocol"/> is a cut-off document: the file of the protocol it extends.</param>
public sealed record VerifyRequest(string Protocol, string? Announcements = null, string? Commitments = null, string? PoolHash = null, IReadOnlyList<string>? Budgets = null, string? PlanHash = null, string? Extends = null);

/// <summary>
/// <c>grants lottery verify PROTOCOL.json</c>: recomputes a published draw from its protocol and checks
/// it against what was published before the draw. A cut-off document (the changes after the draw, docs/decisions/0023) is
/// verified with the protocol it extends (<c>--extends</c>): its changes are replayed on that protocol, then all is checked. Exit codes: 0 verified, 1 a mismatch (the first
/// one, by name), 2 a file or option that cannot be read or does not match its schema.
/// </summary>
public static class LotteryCommand
{
    public const int Verified = 0;
    public const int Mismatch = 1;
    public const int Unreadable = 2;

    private const string ExitCodes = """
        Exit codes: 0 verified; 1 the protocol does not recompute or differs from what was published before the draw
        (the first difference is named); 2 a file or option that cannot be read, or a document that does not match
        its published schema (contracts/schemas).
        """;

    public static Command Create()
    {
        var file = new Argument<string>("protocol") { Description = "A lottery protocol or cut-off document (JSON), exactly as published (GET /api/rounds/{id}/lottery/protocol)" };
        var extends = new Option<string?>("--extends") { Description = "When the document is a cut-off document: the protocol it extends, exactly as published (GET /api/rounds/{id}/lottery/protocol?protocolHash=HASH, the hash its 'extends' names)", HelpName = "FILE" };
        var announcements = new Option<string?>("--announcements") { Description = "The round's announcements before the draw, as a file or an http(s) URL (GET /api/rounds/{id}/lottery/announcements): the protocol must use the commitments, pool hash, budgets and analysis plan hash announced there", HelpName = "FILE|URL" };
        var commitments = new Option<string?>("--commitments") { Description = "The seed commitments published before the draw, in commitment order, comma-separated (64 lowercase hex digits each)", HelpName = "HEX[,HEX...]" };
        var poolHash = new Option<string?>("--pool-hash") { Description = "The pool hash published when the pool froze (64 lowercase hex digits)", HelpName = "HEX" };
        var budget = new Option<string[]>("--budget") { Description = "The budget published before the draw, in euro cents: one value, or STRATUM=CENTS once per stratum", HelpName = "CENTS|STRATUM=CENTS", AllowMultipleArgumentsPerToken = false };
        var planHash = new Option<string?>("--plan-hash") { Description = "The hash of the analysis plan the round committed to before the draw (64 lowercase hex digits)", HelpName = "HEX" };
        var verify = new Command("verify", $"Recompute a draw from its protocol and check it against what was published before the draw; prints 'verified' or the first mismatch.\n{ExitCodes}")
        {
            file, announcements, commitments, poolHash, budget, planHash, extends,
        };
        verify.SetAction((parse, ct) => VerifyAsync(
            new VerifyRequest(parse.GetValue(file)!, parse.GetValue(announcements), parse.GetValue(commitments), parse.GetValue(poolHash), parse.GetValue(budget), parse.GetValue(planHash), parse.GetValue(extends)),
            Console.Out, ct));
        return new Command("lottery", "Work with lottery protocols") { verify };
    }

    /// <summary>Verifies a protocol file with no outside expectations: only whether it recomputes.</summary>
    public static int Verify(string path, TextWriter output) => VerifyAsync(new VerifyRequest(path), output, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> VerifyAsync(VerifyRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        LotteryProtocol protocol;
        DrawExpectations expected;
        LotteryAnnouncements? announcements = null;
        try
        {
            expected = Expectations(request);
            var read = await ReadProtocolAsync(request, cancellationToken);
            if (read.Mismatch is { } mismatch)
            {
                output.WriteLine($"mismatch: {mismatch}");
                return Mismatch;
            }

            protocol = read.Protocol!;
            if (request.Announcements is { } source)
            {
                announcements = PublishedDocument.Read(source, await FetchAsync(source, cancellationToken), PublishedDocument.AnnouncementsSchema, LotteryAnnouncements.FromJson);
            }
        }
        catch (UnreadableDocumentException e)
        {
            output.WriteLine($"cannot verify: {e.Document} cannot be read");
            foreach (var problem in e.Problems)
            {
                output.WriteLine($"  {problem}");
            }

            return Unreadable;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException)
        {
            output.WriteLine($"cannot verify: {e.Message}");
            return Unreadable;
        }

        var results = new List<ProtocolVerification> { LotteryVerifier.Verify(protocol) };
        if (announcements is not null)
        {
            results.Add(LotteryVerifier.VerifyAgainst(protocol, announcements));
        }

        results.Add(LotteryVerifier.VerifyAgainst(protocol, expected));
        if (results.FirstOrDefault(r => !r.Verified) is { } failed)
        {
            output.WriteLine(failed.Invalid ? $"cannot verify: {request.Protocol} cannot be read" : $"mismatch: {failed.FirstMismatch}");
            if (failed.Invalid)
            {
                output.WriteLine($"  {failed.FirstMismatch}");
            }

            return failed.Invalid ? Unreadable : Mismatch;
        }

        output.WriteLine("verified");
        foreach (var line in Against(protocol, announcements, expected))
        {
            output.WriteLine($"  {line}");
        }

        return Verified;
    }

    /// <summary>
    /// The protocol to verify: the file itself, or, when it is a cut-off document, the protocol it extends (<c>--extends</c>,
    /// whose bytes must hash to what the document names) with the document's changes replayed. A change that does not replay
    /// is a mismatch.
    /// </summary>
    private static async Task<(LotteryProtocol? Protocol, string? Mismatch)> ReadProtocolAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(request.Protocol, cancellationToken);
        var json = Encoding.UTF8.GetString(bytes);
        if (!CutoffDocument.IsOne(bytes))
        {
            return (PublishedDocument.Read(request.Protocol, json, PublishedDocument.ProtocolSchema, LotteryProtocol.FromJson), null);
        }

        var document = PublishedDocument.Read(request.Protocol, json, PublishedDocument.CutoffsSchema, CutoffDocument.FromJson);
        if (request.Extends is not { } path)
        {
            throw new UnreadableDocumentException(request.Protocol, [$"is a cut-off document: pass the protocol it extends ({document.Extends}) with --extends"]);
        }

        var extended = await File.ReadAllBytesAsync(path, cancellationToken);
        var replayed = document.ReplayOn(extended, path, json => PublishedDocument.Read(path, json, PublishedDocument.ProtocolSchema, LotteryProtocol.FromJson));
        return (replayed.Protocol, replayed.Mismatch);
    }

    /// <summary>Says what the protocol was checked against, so "verified" is never read as more than it is.</summary>
    private static IEnumerable<string> Against(LotteryProtocol protocol, LotteryAnnouncements? announcements, DrawExpectations expected)
    {
        if (announcements is null && expected.IsEmpty)
        {
            yield return "The protocol recomputes, but was not checked against what was published before the draw:";
            yield return "pass --announcements (or --commitments, --pool-hash, --budget and --plan-hash) for that.";
            yield break;
        }

        if (announcements is { Pool: { } pool })
        {
            var draw = announcements.DrawUsing(protocol.Commitments) ?? announcements.CurrentDraw;
            var parties = string.Join(", ", announcements.CommitmentsOf(draw).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Party} at {c.At:O}")));
            var what = protocol.Design.Method is { } method
                ? $"the pool, budgets and what {method} orders it by (priorities {pool.PrioritiesHash})"
                : "the pool and budgets";
            yield return string.Create(CultureInfo.InvariantCulture, $"Matches the announcements of round {announcements.RoundId}: draw {draw}'s commitments ({parties}), and {what} announced at {pool.At:O}.");
            if (protocol.AnalysisPlanHash is not null && announcements.AnalysisPlan is { } plan)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"It carries the hash of the analysis plan committed at {plan.CommittedAt:O} ({plan.PlanHash}).");
            }
            else if (protocol.AnalysisPlanHash is null)
            {
                yield return $"The protocol (schemaVersion {protocol.SchemaVersion}) was drawn before rounds committed to an analysis plan: it carries no plan hash to check.";
            }

            if (announcements.SetAside.FirstOrDefault(s => s.Draw == draw) is { } setAside)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"This draw was set aside at {setAside.At:O}: {setAside.Reason}");
            }
        }

        if (!expected.IsEmpty)
        {
            var checkedItems = new[] { (expected.Commitments is not null, "commitments"), (expected.PoolHash is not null, "pool hash"), (expected.Budget is not null || expected.StratumBudgets is not null, "budget"), (expected.AnalysisPlanHash is not null, "analysis plan hash") };
            yield return $"Matches the expected {string.Join(", ", checkedItems.Where(c => c.Item1).Select(c => c.Item2))} given on the command line.";
        }
    }

    private static async Task<string> FetchAsync(string source, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var response = await http.GetAsync(uri, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{source} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return await response.Content.ReadAsStringAsync(cancellationToken);
        }

        return await File.ReadAllTextAsync(source, cancellationToken);
    }

    /// <summary>The command-line expectations, checked for their exact form; a malformed one is unreadable (exit 2), not a mismatch.</summary>
    private static DrawExpectations Expectations(VerifyRequest request)
    {
        var problems = new List<string>();
        IReadOnlyList<string>? commitments = null;
        if (request.Commitments is { } list)
        {
            commitments = [.. list.Split(',', StringSplitOptions.TrimEntries)];
            problems.AddRange(commitments.Where(c => !IsHex32(c)).Select(c => $"--commitments: '{c}' is not 64 lowercase hex digits"));
        }

        if (request.PoolHash is { } hash && !IsHex32(hash))
        {
            problems.Add($"--pool-hash: '{hash}' is not 64 lowercase hex digits");
        }

        if (request.PlanHash is { } plan && !IsHex32(plan))
        {
            problems.Add($"--plan-hash: '{plan}' is not 64 lowercase hex digits");
        }

        long? budget = null;
        List<StratumBudget>? strata = null;
        foreach (var value in request.Budgets ?? [])
        {
            var parts = value.Split('=');
            if (parts.Length == 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var cents) && budget is null && strata is null)
            {
                budget = cents;
            }
            else if (parts.Length == 2 && LotteryPool.IsCanonicalToken(parts[0]) && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var stratumCents)
                && budget is null && (strata ??= []).All(s => s.Stratum != parts[0]))
            {
                strata.Add(new StratumBudget(parts[0], stratumCents));
            }
            else
            {
                problems.Add($"--budget: '{value}' is not CENTS, or STRATUM=CENTS once per stratum (not both)");
            }
        }

        return problems.Count > 0 ? throw new UnreadableDocumentException("the command line", problems) : new DrawExpectations(commitments, request.PoolHash, budget, strata, request.PlanHash);
    }

    private static bool IsHex32(string value) => Sha256Hex.Is(value);
}
