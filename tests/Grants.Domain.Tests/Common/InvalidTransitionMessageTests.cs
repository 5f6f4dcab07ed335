using Grants.Domain.Common;

namespace Grants.Domain.Tests.Common;

/// <summary>The refusal's detail reaches users in the problem response: it reads as a sentence.</summary>
public sealed class InvalidTransitionMessageTests
{
    [Theory]
    [InlineData("advance", "Paid", "pay", "Cannot pay an advance that is Paid.")]
    [InlineData("application", "Draft", "award", "Cannot award an application that is Draft.")]
    [InlineData("round", "Open", "open", "Cannot open a round that is Open.")]
    [InlineData("voucher", "Paid", "confirm a claim on", "Cannot confirm a claim on a voucher that is Paid.")]
    public void NamesTheAggregateWithItsArticle(string aggregate, string status, string action, string expected) =>
        Assert.Equal(expected, new InvalidTransitionException(aggregate, status, action).Message);

    [Fact]
    public void SaysWhatTheCommandNeedsAfterTheRefusalNotInsideIt() =>
        Assert.Equal("Cannot reveal seeds for a round that is Closed: the pool must be frozen first.",
            new InvalidTransitionException("round", "Closed", "reveal seeds for", "the pool must be frozen first").Message);
}
