using Grants.Benchmarks;

// dotnet run -c Release --project benchmarks/Grants.Benchmarks -- [upload|lottery|evaluate|load]   (results: docs/benchmarks.md)
return args.FirstOrDefault() switch
{
    "lottery" => LotteryBenchmark.Run(),
    "evaluate" => EvaluationBenchmark.Run(),
    "load" => await LoadBenchmark.RunAsync(),
    null or "upload" => await UploadBenchmark.RunAsync(),
    var other => Fail(other),
};

static int Fail(string benchmark)
{
    Console.Error.WriteLine($"Unknown benchmark '{benchmark}'. Use upload, lottery, evaluate or load.");
    return 2;
}
