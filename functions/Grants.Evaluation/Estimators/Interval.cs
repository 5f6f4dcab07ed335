namespace Grants.Evaluation.Estimators;

/// <summary>A confidence interval with the method that produced it.</summary>
public sealed record Interval(double Lower, double Upper, string Method);

/// <summary>A proportion x/n with its interval.</summary>
public sealed record Proportion(int X, int N, double P, Interval Ci);
