using Grants.Domain.Common;

namespace Grants.Domain.Tests.Common;

/// <summary>Messages put articles before statuses and nouns and count things: the article fits the word as spoken.</summary>
public sealed class EnglishTests
{
    [Theory]
    [InlineData("application", "an application")]
    [InlineData("Eligible application", "an Eligible application")]
    [InlineData("UnderObjection application", "an UnderObjection application")]
    [InlineData("round", "a round")]
    [InlineData("ledger entry", "a ledger entry")]
    [InlineData("unique id", "a unique id")]
    [InlineData("hour", "an hour")]
    public void PutsTheArticleThatFitsTheWord(string phrase, string expected) => Assert.Equal(expected, English.WithArticle(phrase));

    [Theory]
    [InlineData(1, "1 submitted application")]
    [InlineData(2, "2 submitted applications")]
    [InlineData(0, "0 submitted applications")]
    public void CountsInTheSingularOnlyForOne(long count, string expected) => Assert.Equal(expected, English.Count(count, "submitted application"));
}
