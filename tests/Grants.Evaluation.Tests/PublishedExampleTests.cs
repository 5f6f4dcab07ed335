using Grants.Evaluation.Estimators;

namespace Grants.Evaluation.Tests;

/// <summary>The estimators against worked examples published with the methods, to the 4 decimals the sources give.</summary>
public sealed class PublishedExampleTests
{
    // Newcombe RG (1998a). Two-sided confidence intervals for the single proportion: comparison of
    // seven methods. Statistics in Medicine 17:857–872, Table I, method 3 (score, no continuity correction).
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void WilsonMatchesNewcombe1998aTableI(int x, int n, double lower, double upper)
    {
        var wilson = Proportions.Wilson(x, n);
        Assert.Equal(lower, wilson.Ci.Lower, 4);
        Assert.Equal(upper, wilson.Ci.Upper, 4);
    }

    // Newcombe RG (1998b). Interval estimation for the difference between independent proportions:
    // comparison of eleven methods. Statistics in Medicine 17:873–890, Table II, method 10.
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(6, 7, 2, 7, 0.0582, 0.8062)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, -0.2775, 0.2775)]
    [InlineData(10, 10, 0, 20, 0.6791, 1.0000)]
    [InlineData(10, 10, 0, 10, 0.6075, 1.0000)]
    public void NewcombeDifferenceMatches1998bTableII(int x1, int n1, int x2, int n2, double lower, double upper)
    {
        var (_, ci) = Proportions.NewcombeDifference(x1, n1, x2, n2);
        Assert.Equal(lower, ci.Lower, 4);
        Assert.Equal(upper, ci.Upper, 4);
    }

    // R documentation of fisher.test: the "Tea tasting" table (Agresti 1990, p. 59) and the
    // "Convictions of like-sex twins" table (Fisher 1962).
    [Theory]
    [InlineData(3, 1, 1, 3, 0.4857)]
    [InlineData(2, 10, 15, 3, 0.0005367)]
    public void FisherMatchesTheRDocumentationExamples(int a, int b, int c, int d, double p)
    {
        var digits = p < 0.001 ? 7 : 4;
        Assert.Equal(p, FisherExact.TwoSidedP(a, b, c, d), digits);
    }

    [Fact]
    public void FisherIsOneForATableAtItsExpectation()
    {
        Assert.Equal(1.0, FisherExact.TwoSidedP(5, 5, 5, 5), 10);
    }
}
