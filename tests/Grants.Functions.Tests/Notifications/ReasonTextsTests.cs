using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Functions.Notifications;

namespace Grants.Functions.Tests.Notifications;

/// <summary>Reason codes are for systems: every code a decision can carry reads as a sentence in both languages of the letters.</summary>
public sealed class ReasonTextsTests
{
    [Theory]
    [MemberData(nameof(ReasonCodes))]
    public void EveryReasonCodeReadsAsASentenceInBothLanguages(string code)
    {
        var (dutch, english) = (ReasonTexts.Describe(code, Languages.Dutch), ReasonTexts.Describe(code, Languages.English));
        Assert.All(new[] { dutch, english }, sentence =>
        {
            Assert.NotEqual(code, sentence);
            Assert.True(char.IsUpper(sentence[0]) && sentence.EndsWith('.'), sentence);
        });
        Assert.NotEqual(dutch, english);
    }

    public static TheoryData<string> ReasonCodes() => [.. IneligibilityReasons.All.Concat(RejectionReasons.All)];
}
