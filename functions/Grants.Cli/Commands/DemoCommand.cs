using System.CommandLine;
using Grants.Cli.Demo;
using Grants.Evaluation.Reporting;
using Grants.Functions.Platform.Identity;
using Grants.LocalHost;
using Grants.LocalHost.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Grants.Cli.Commands;

/// <summary>
/// <c>grants demo</c>: starts the local system (its own Azurite, mail to a folder) and replays an
/// ESF-E-2008-like round through the API, from applications to the evaluation of two follow-up waves.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var applicants = new Option<int?>("--applicants") { Description = "Number of applicant organisations (265 for the lottery, 8,000 for the voucher rush)" };
        var method = new Option<string>("--method")
        {
            Description = "lottery: an ESF-E-2008-like round from applications to the evaluation; fcfs-day: an opening-day rush for vouchers, first come, first served by day, the second day drawn",
            DefaultValueFactory = _ => Domain.Allocation.AllocationMethod.Lottery,
        };
        method.AcceptOnlyFromAmong(Domain.Allocation.AllocationMethod.Lottery, Domain.Allocation.AllocationMethod.FirstComeFirstServedByDay);
        var seed = new Option<int>("--seed") { Description = "Seed for the synthetic organisations, lottery seeds and answers", DefaultValueFactory = _ => 2008 };
        var output = new Option<string>("--out") { Description = "Folder for the protocol, the report, the export and the mail", DefaultValueFactory = _ => "demo-output" };
        var command = new Command("demo", "Replay a round end to end through the API: an ESF-E-2008-like lottery with its evaluation, or a voucher rush first come, first served") { applicants, seed, output, method };
        command.SetAction((parse, cancellationToken) => parse.GetValue(method) == Domain.Allocation.AllocationMethod.FirstComeFirstServedByDay
            ? RunRushAsync(parse.GetValue(applicants) ?? 8_000, parse.GetValue(seed), Path.GetFullPath(parse.GetValue(output)!), Console.Out, cancellationToken)
            : RunAsync(parse.GetValue(applicants) ?? 265, parse.GetValue(seed), Path.GetFullPath(parse.GetValue(output)!), Console.Out, cancellationToken));
        return command;
    }

    /// <summary>The opening-day rush (<see cref="VoucherRushReplay"/>): vouchers for a quarter of the applicants, a fifth of whom apply on the opening day.</summary>
    public static async Task<int> RunRushAsync(int applicants, int seed, string output, TextWriter log, CancellationToken cancellationToken)
    {
        if (applicants is < 20 or > 20_000)
        {
            await Console.Error.WriteLineAsync("--applicants must be between 20 and 20000.");
            return 2;
        }

        var started = DateTime.UtcNow;
        await using var host = await StartAsync(output, log, out var clock, out var signingKey, cancellationToken);
        log.WriteLine($"Grants is running at {host.BaseAddress}; replaying an opening-day rush of {applicants:N0} voucher applications (seed {seed}).");
        var result = await new VoucherRushReplay(host, clock, signingKey, applicants, seed, log).RunAsync(output, cancellationToken);
        log.WriteLine();
        log.WriteLine($"Protocol:      {result.ProtocolPath}   (check it: grants lottery verify {Path.GetFileName(result.ProtocolPath)} --announcements {Path.GetFileName(result.AnnouncementsPath)})");
        log.WriteLine($"Announcements: {result.AnnouncementsPath}   (the pool hash and the hash of every application's moment of completion, published before the draw)");
        log.WriteLine($"Done in {(DateTime.UtcNow - started).TotalSeconds:F0} s.");
        return 0;
    }

    public static async Task<int> RunAsync(int applicants, int seed, string output, TextWriter log, CancellationToken cancellationToken)
    {
        if (applicants is < 20 or > 5_000)
        {
            await Console.Error.WriteLineAsync("--applicants must be between 20 and 5000.");
            return 2;
        }

        var started = DateTime.UtcNow;
        await using var host = await StartAsync(output, log, out var clock, out var signingKey, cancellationToken);
        log.WriteLine($"Grants is running at {host.BaseAddress}; replaying the round with {applicants} applicants (seed {seed}).");
        var result = await new EsfRoundReplay(host, clock, signingKey, applicants, seed, log).RunAsync(output, cancellationToken);

        log.WriteLine();
        foreach (var line in Headline(result.Report))
        {
            log.WriteLine(line);
        }

        log.WriteLine();
        log.WriteLine($"Lottery protocol: {result.ProtocolPath}   (check it: {result.VerifyCommand})");
        if (result.CutoffsPath is { } cutoffs)
        {
            log.WriteLine($"Cut-off changes:  {cutoffs}   (the declines after the draw and whom they moved up the reserve list, extending the protocol)");
        }

        log.WriteLine($"Announcements:    {result.AnnouncementsPath}   (the analysis plan, commitments, pool hash and budget published before the draw)");
        log.WriteLine($"Report:           {result.ReportPath}");
        log.WriteLine($"Human report:     {result.HtmlPath}");
        log.WriteLine($"Evaluator export: {result.ExportPath}   (re-run: unzip it, then grants evaluate --input DIR --out report.json)");
        log.WriteLine($"Mail sent:        {result.MailDirectory}");
        log.WriteLine($"Done in {(DateTime.UtcNow - started).TotalSeconds:F0} s.");
        return 0;
    }

    /// <summary>The local system on its embedded defaults, with the demo's clock and mail to the output folder.</summary>
    private static Task<LocalFunctionsHost> StartAsync(string output, TextWriter log, out DemoClock clock, out string signingKey, CancellationToken cancellationToken)
    {
        var demoClock = clock = new DemoClock();
        signingKey = DevelopmentTokens.NewSigningKey();
        var mail = Path.Combine(output, "mail");
        Directory.CreateDirectory(mail);
        var options = new LocalHostOptions { Url = "http://127.0.0.1:0", RunTimersOnSchedule = false };
        options.Settings["Auth:DevelopmentSigningKey"] = signingKey;
        options.Settings["Mail:PickupDirectory"] = mail;
        options.Settings["Mail:Smtp:Host"] = string.Empty;
        options.Settings["Logging:LogLevel:Default"] = "Warning";
        options.ConfigureServices = services => services.AddSingleton<TimeProvider>(demoClock);
        log.WriteLine($"Starting the local system (Azurite in memory, mail to {mail})…");
        return LocalFunctionsHost.StartAsync(options, cancellationToken);
    }

    /// <summary>The headline of the evaluation: the primary wave's experimental deadweight, primary estimate and test, as the HTML report leads with them.</summary>
    public static IEnumerable<string> Headline(EvaluationReport report) => ReportSummary.Lines(report);
}
