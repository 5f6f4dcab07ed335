namespace Grants.Domain.Common;

/// <summary>
/// The bits of English grammar that messages assembled from values need, in one place: the article
/// before a noun or a status ("an application", "an Eligible application", "a round") and counted nouns
/// ("1 application", "3 applications").
/// </summary>
public static class English
{
    /// <summary>Words that start with a vowel letter but a consonant sound (a unique id, a user, a one-off).</summary>
    private static readonly string[] ConsonantSounding = ["uni", "use", "usu", "uti", "eu", "one", "once"];

    /// <summary>Words that start with a consonant letter but a vowel sound (an hour, an honest answer).</summary>
    private static readonly string[] VowelSounding = ["hour", "honest", "honour", "heir"];

    /// <summary>"a" or "an", as the first word of <paramref name="phrase"/> is spoken.</summary>
    public static string Article(string phrase)
    {
        var word = phrase.TrimStart().ToLowerInvariant();
        if (word.Length == 0)
        {
            return "a";
        }

        if (VowelSounding.Any(p => word.StartsWith(p, StringComparison.Ordinal)))
        {
            return "an";
        }

        return "aeiou".Contains(word[0]) && !ConsonantSounding.Any(p => word.StartsWith(p, StringComparison.Ordinal)) ? "an" : "a";
    }

    /// <summary>The phrase with its indefinite article: "an application", "a round", "an Eligible application".</summary>
    public static string WithArticle(string phrase) => $"{Article(phrase)} {phrase}";

    /// <summary>"1 application", "2 applications"; <paramref name="plural"/> when adding an s will not do.</summary>
    public static string Count(long count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";
}
