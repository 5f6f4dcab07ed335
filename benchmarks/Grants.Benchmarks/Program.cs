using Grants.Benchmarks;

// dotnet run -c Release --project benchmarks/Grants.Benchmarks -- [upload|lottery|evaluate]   (results: docs/benchmarks.md)
return args.FirstOrDefault() switch
{
    "lottery" => LotteryBenchmark.Run(),
    "evaluate" => EvaluationBenchmark.Run(),
    null or "upload" => await UploadBenchmark.RunAsync(),
    var other => Fail(other),
};

static int Fail(string benchmark)
{
    Console.Error.WriteLine($"Unknown benchmark '{benchmark}'. Use upload, lottery or evaluate.");
    return 2;
}
