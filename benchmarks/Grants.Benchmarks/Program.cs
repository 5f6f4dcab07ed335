using Grants.Benchmarks;

// dotnet run -c Release --project benchmarks/Grants.Benchmarks -- [upload|lottery|evaluate|load|round [N ...] [--assessed M] [--filled-only] [--no-relays]|emulator [N] [--pile P] | emulator --protocol-write]   (results: docs/benchmarks.md)
return args.FirstOrDefault() switch
{
    "lottery" => LotteryBenchmark.Run(),
    "evaluate" => EvaluationBenchmark.Run(),
    "load" => await LoadBenchmark.RunAsync(),
    "round" => await RoundBenchmark.RunAsync([.. args.Skip(1)]),
    "emulator" => await EmulatorBenchmark.RunAsync([.. args.Skip(1)]),
    null or "upload" => await UploadBenchmark.RunAsync(),
    var other => Fail(other),
};

static int Fail(string benchmark)
{
    Console.Error.WriteLine($"Unknown benchmark '{benchmark}'. Use upload, lottery, evaluate, load, round or emulator.");
    return 2;
}
