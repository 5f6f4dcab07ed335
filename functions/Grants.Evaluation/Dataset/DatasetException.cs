namespace Grants.Evaluation.Dataset;

/// <summary>The evaluator's input is not a valid dataset; <see cref="Problems"/> says where and why.</summary>
public sealed class DatasetException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
