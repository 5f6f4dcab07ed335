using System.Security.Cryptography;
using System.Text;
using Grants.Domain.Applications;
using Grants.Domain.Common;
using Stateless;

namespace Grants.Domain.FollowUp;

/// <summary>A follow-up survey's life: scheduled at the draw, open from its wave date, closed at the end of the wave.</summary>
public enum SurveyStatus
{
    Scheduled,
    Open,
    Completed,
    Closed,
    Withdrawn,
}

public static class RespondentRoles
{
    /// <summary>The organisation's contact, invited first; its answers are the unit's answers in the export.</summary>
    public const string Management = "management";
    public const string EmployeeRepresentative = "employee_representative";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [Management, EmployeeRepresentative, Other];
}

/// <summary>
/// One person answering for the organisation. Only the SHA-256 of their tokens' secrets is kept; a
/// token exists only in the mail that carried it (the invitation, and each reminder has its own).
/// </summary>
public sealed record Respondent(
    string Id,
    string Role,
    string Email,
    string Language,
    IReadOnlyList<string> TokenHashes,
    DateTimeOffset InvitedAt,
    int Reminders,
    DateTimeOffset LastContactAt,
    IReadOnlyDictionary<string, string> Answers,
    DateTimeOffset? SavedAt,
    DateTimeOffset? SubmittedAt);

/// <summary>
/// A unit's survey in one wave. Every unit of the frozen pool — winners, reserve and losers alike —
/// gets one per wave, opening on the same date after the draw (domain.md §2, lesson 6).
/// </summary>
/// <param name="UnitId">The pool's pseudonymous id; the export carries nothing else.</param>
/// <param name="Recipient">Whether the unit had received the subsidy when the survey opened: recipients are also asked the counterfactual question.</param>
public sealed record SurveyData(
    string Id,
    string RoundId,
    string ApplicationId,
    string UnitId,
    int Wave,
    SurveyStatus Status,
    string CatalogueVersion,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    int ReminderDays,
    int MaxReminders,
    bool Recipient,
    IReadOnlyList<Respondent> Respondents,
    DateTimeOffset? OpenedAt = null,
    DateTimeOffset? ClosedAt = null,
    DateTimeOffset? WithdrawnAt = null,
    DateTimeOffset? PersonalDataErasedAt = null)
{
    public Respondent? Primary => Respondents.FirstOrDefault(r => r.Role == RespondentRoles.Management);
}

public sealed class Survey
{
    public const int MaxRespondents = 5;

    private readonly StateMachine<SurveyStatus, Trigger> _machine;

    public Survey(SurveyData data)
    {
        Data = data;
        _machine = new StateMachine<SurveyStatus, Trigger>(() => Data.Status, status => Data = Data with { Status = status });
        _machine.Configure(SurveyStatus.Scheduled)
            .Permit(Trigger.Open, SurveyStatus.Open)
            .Permit(Trigger.Close, SurveyStatus.Closed)
            .Permit(Trigger.Withdraw, SurveyStatus.Withdrawn);
        _machine.Configure(SurveyStatus.Open)
            .PermitReentry(Trigger.AddRespondent)
            .PermitReentry(Trigger.Remind)
            .PermitReentry(Trigger.Save)
            .Permit(Trigger.Complete, SurveyStatus.Completed)
            .Permit(Trigger.Close, SurveyStatus.Closed)
            .Permit(Trigger.Withdraw, SurveyStatus.Withdrawn);
        _machine.Configure(SurveyStatus.Completed)
            .Permit(Trigger.AddRespondent, SurveyStatus.Open)
            .Permit(Trigger.Close, SurveyStatus.Closed)
            .Permit(Trigger.Withdraw, SurveyStatus.Withdrawn);
        _machine.Configure(SurveyStatus.Closed).Permit(Trigger.Withdraw, SurveyStatus.Withdrawn);
    }

    private enum Trigger
    {
        Open,
        AddRespondent,
        Remind,
        Save,
        Complete,
        Close,
        Withdraw,
    }

    public SurveyData Data { get; private set; }

    public static string IdFor(string roundId, string unitId, int wave) => $"{IdPrefixFor(roundId)}{unitId}-w{wave}";

    /// <summary>What the ids of every survey of the round begin with.</summary>
    public static string IdPrefixFor(string roundId) => $"survey-{roundId}-";

    public static Survey Schedule(string roundId, string applicationId, string unitId, int wave, DateTimeOffset opensAt, DateTimeOffset closesAt, int reminderDays, int maxReminders) =>
        closesAt <= opensAt
            ? throw new DomainRuleException("closesAt", "a wave must close after it opens")
            : new(new SurveyData(IdFor(roundId, unitId, wave), roundId, applicationId, unitId, wave, SurveyStatus.Scheduled, SurveyCatalogue.Version,
                opensAt, closesAt, reminderDays, maxReminders, false, []));

    public bool IsDueToOpen(DateTimeOffset now) => Data.Status == SurveyStatus.Scheduled && now >= Data.OpensAt && now < Data.ClosesAt;

    public bool IsDueToClose(DateTimeOffset now) => Data.Status is SurveyStatus.Scheduled or SurveyStatus.Open or SurveyStatus.Completed && now >= Data.ClosesAt;

    /// <summary>Respondents who have not submitted and were last contacted at least the reminder interval ago, while reminders remain.</summary>
    /// <summary>
    /// The follow-up reaches an organisation only while it consents: once it withdrew, nobody is invited, added or
    /// reminded (its surveys are withdrawn instead), whatever step comes next.
    /// </summary>
    private void ThrowIfConsentWithdrawn(ApplicationData application, string action)
    {
        if (application.Id != Data.ApplicationId)
        {
            throw new ArgumentException($"Survey {Data.Id} follows application {Data.ApplicationId}, not {application.Id}.", nameof(application));
        }

        if (application.ConsentWithdrawnAt is not null)
        {
            throw InvalidTransitionException.Because("survey", Data.Status.ToString(), action,
                "The organisation withdrew its consent to the follow-up: nobody is invited or reminded any more.");
        }
    }

    public IReadOnlyList<Respondent> DueReminders(DateTimeOffset now) =>
        Data.Status != SurveyStatus.Open || now >= Data.ClosesAt
            ? []
            : Data.Respondents.Where(r => r.SubmittedAt is null && r.Reminders < Data.MaxReminders && now - r.LastContactAt >= TimeSpan.FromDays(Data.ReminderDays)).ToList();

    /// <summary>Opens the survey with the organisation's contact as its first respondent, while the organisation consents.</summary>
    public void Open(ApplicationData application, bool recipient, string respondentId, string email, string language, string tokenHash, DateTimeOffset now)
    {
        ThrowIfConsentWithdrawn(application, "open");
        Fire(Trigger.Open, "open");
        Data = Data with { OpenedAt = now, Recipient = recipient, Respondents = [NewRespondent(respondentId, RespondentRoles.Management, email, language, tokenHash, now)] };
    }

    public void AddRespondent(ApplicationData application, string respondentId, string role, string email, string language, string tokenHash, DateTimeOffset now)
    {
        ThrowIfConsentWithdrawn(application, "add a respondent to");
        if (!RespondentRoles.All.Contains(role))
        {
            throw new DomainRuleException("role", $"must be one of: {string.Join(", ", RespondentRoles.All)}");
        }

        if (Data.Respondents.Count >= MaxRespondents)
        {
            throw new DomainRuleException("respondents", $"a survey has at most {MaxRespondents} respondents");
        }

        if (Data.Respondents.Any(r => string.Equals(r.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainRuleException("email", "this person is already a respondent");
        }

        if (now >= Data.ClosesAt)
        {
            throw new InvalidTransitionException("survey", "past its closing date", "add a respondent to");
        }

        Fire(Trigger.AddRespondent, "add a respondent to");
        Data = Data with { Respondents = [.. Data.Respondents, NewRespondent(respondentId, role, email, language, tokenHash, now)] };
    }

    /// <param name="tokenHash">The hash of the reminder's own token; the invitation's keeps working too.</param>
    public void Remind(ApplicationData application, string respondentId, string tokenHash, DateTimeOffset now)
    {
        ThrowIfConsentWithdrawn(application, "remind a respondent in");
        var respondent = Respondent(respondentId);
        if (!DueReminders(now).Contains(respondent))
        {
            throw new InvalidTransitionException("survey", Data.Status.ToString(), "remind a respondent who is not due for a reminder in");
        }

        Fire(Trigger.Remind, "remind");
        Replace(respondent with { Reminders = respondent.Reminders + 1, LastContactAt = now, TokenHashes = [.. respondent.TokenHashes, tokenHash] });
    }

    /// <summary>
    /// The respondent whose token this is, if the token's secret hashes to the stored hash (compared in
    /// constant time); null otherwise, so that a wrong token and an unknown one look the same.
    /// </summary>
    public Respondent? Authenticate(string respondentId, string secret)
    {
        var respondent = Data.Respondents.FirstOrDefault(r => r.Id == respondentId);
        if (respondent is null || Data.Status == SurveyStatus.Withdrawn)
        {
            return null;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        var match = false;
        foreach (var hash in respondent.TokenHashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hash), presented);
        }

        return match ? respondent : null;
    }

    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// Saves answers (merged with those saved before); <paramref name="submit"/> ends this respondent's
    /// questionnaire — the token cannot be used again. Answers are checked against the catalogue.
    /// </summary>
    /// <param name="cleared">Answer keys the respondent emptied (a question shown and left unanswered).</param>
    public void Save(string respondentId, IReadOnlyDictionary<string, string> answers, bool submit, DateTimeOffset now, IReadOnlyCollection<string>? cleared = null)
    {
        var respondent = Respondent(respondentId);
        if (respondent.SubmittedAt is not null)
        {
            throw new InvalidTransitionException("questionnaire", "submitted", "change the answers of");
        }

        if (now >= Data.ClosesAt)
        {
            throw new InvalidTransitionException("survey", "past its closing date", "answer");
        }

        var merged = new Dictionary<string, string>(respondent.Answers);
        foreach (var key in cleared ?? [])
        {
            merged.Remove(key);
        }

        foreach (var (key, value) in answers)
        {
            merged[key] = value;
        }

        DomainRuleException.ThrowIfAny("The answers are not valid.", SurveyCatalogue.Problems(merged, Data.Recipient));
        Fire(Trigger.Save, "answer");
        Replace(respondent with { Answers = merged, SavedAt = now, SubmittedAt = submit ? now : null });
        if (Data.Respondents.All(r => r.SubmittedAt is not null))
        {
            _machine.Fire(Trigger.Complete);
        }
    }

    public void Close(DateTimeOffset now)
    {
        Fire(Trigger.Close, "close");
        Data = Data with { ClosedAt = now };
    }

    /// <summary>Consent withdrawn: no further contact, and the answers and addresses are erased.</summary>
    public void Withdraw(DateTimeOffset now)
    {
        Fire(Trigger.Withdraw, "withdraw consent for");
        Data = Data with
        {
            WithdrawnAt = now,
            Respondents = Data.Respondents.Select(r => r with { Email = string.Empty, TokenHashes = [], Answers = new Dictionary<string, string>() }).ToList(),
        };
    }

    /// <summary>Past retention: the respondents' addresses and tokens go; the answers stay for the evaluation, under the unit's pseudonym.</summary>
    public void ErasePersonalData(DateTimeOffset now)
    {
        if (Data.Status is SurveyStatus.Scheduled or SurveyStatus.Open)
        {
            throw new InvalidTransitionException("survey", Data.Status.ToString(), "erase personal data of");
        }

        Data = Data with
        {
            Respondents = [.. Data.Respondents.Select(r => r with { Email = string.Empty, TokenHashes = [] })],
            PersonalDataErasedAt = now,
        };
    }

    public static string Diagram() => Stateless.Graph.MermaidGraph.Format(new Survey(new SurveyData("", "", "", "", 1, SurveyStatus.Scheduled, "", default, default, 0, 0, false, []))._machine.GetInfo());

    private static Respondent NewRespondent(string id, string role, string email, string language, string tokenHash, DateTimeOffset now) =>
        new(id, role, email.Trim(), language is "en" ? "en" : "nl", [tokenHash], now, 0, now, new Dictionary<string, string>(), null, null);

    private Respondent Respondent(string respondentId) =>
        Data.Respondents.FirstOrDefault(r => r.Id == respondentId) ?? throw new DomainRuleException("respondent", $"no respondent {respondentId} in this survey");

    private void Replace(Respondent respondent) =>
        Data = Data with { Respondents = Data.Respondents.Select(r => r.Id == respondent.Id ? respondent : r).ToList() };

    private void Fire(Trigger trigger, string action)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidTransitionException("survey", Data.Status.ToString(), action);
        }

        _machine.Fire(trigger);
    }
}
