using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Grants.Functions.FollowUp;

/// <summary>
/// A respondent's token: which survey and respondent it opens, and a 256-bit random secret. Only the
/// secret's hash is stored; the token is sent once, in the invitation, and opens nothing but that
/// respondent's own questionnaire.
/// </summary>
public static class SurveyTokens
{
    public static (string Token, string Secret) Issue(string surveyId, string respondentId)
    {
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return ($"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{surveyId}|{respondentId}"))}.{secret}", secret);
    }

    public static bool TryParse(string? token, out string surveyId, out string respondentId, out string secret)
    {
        (surveyId, respondentId, secret) = (string.Empty, string.Empty, string.Empty);
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 2 || parts[0].Length is 0 or > 400 || parts[1].Length != 43)
        {
            return false;
        }

        try
        {
            // The survey id becomes a table key: anything but a survey's own form (a "/" or "#", a control character) is
            // refused here, as the route refuses it, rather than sent to storage.
            var target = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])).Split('|');
            if (target.Length != 2 || !Platform.Http.RouteValues.Route["surveyId"].Pattern.IsMatch(target[0]))
            {
                return false;
            }

            (surveyId, respondentId, secret) = (target[0], target[1], parts[1]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string Link(string publicBaseUrl, string token) => $"{publicBaseUrl.TrimEnd('/')}/api/respond/{token}";
}
