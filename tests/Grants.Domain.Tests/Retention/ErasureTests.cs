using Grants.Domain.Applications;
using Grants.Domain.Auditing;
using Grants.Domain.Common;
using Grants.Domain.FollowUp;

namespace Grants.Domain.Tests.Retention;

/// <summary>What the retention run erases, what it keeps, and how the audit chain survives it.</summary>
public sealed class ErasureTests
{
    private static readonly DateTimeOffset Later = new(2016, 1, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnApplicationLosesItsPersonalDataAndKeepsItsSkeleton()
    {
        var application = Builders.Submitted();
        var before = application.Data;
        application.ErasePersonalData(Later);

        var after = application.Data;
        Assert.Equal(string.Empty, after.Applicant.ContactEmail);
        Assert.Equal(Application.Erased, after.Content.Adviser!.Contact);
        Assert.Null(after.Content.Adviser.Email);
        Assert.Equal(before.Content.Adviser!.Firm, after.Content.Adviser.Firm);
        Assert.All(after.Attachments, a => Assert.Equal($"{a.Kind}.pdf", a.FileName));
        Assert.Equal((before.Status, before.ReceiptNumber, before.Applicant.Kvk, before.Applicant.Sector, before.Content.RequestedAmountCents),
            (after.Status, after.ReceiptNumber, after.Applicant.Kvk, after.Applicant.Sector, after.Content.RequestedAmountCents));
        Assert.Equal(before.Attachments.Select(a => a.Sha256), after.Attachments.Select(a => a.Sha256));
        Assert.Equal(Later, after.PersonalDataErasedAt);
        Assert.Throws<InvalidTransitionException>(() => application.ErasePersonalData(Later));
    }

    [Fact]
    public void ASurveyKeepsItsAnswersButNotItsAddressesAndOnlyOnceItIsOver()
    {
        var survey = Survey.Schedule("round-1", "app-1", "P-0001", 1, Later, Later.AddDays(56), reminderDays: 14, maxReminders: 2);
        survey.Open(false, "r1", "contact@example.org", "nl", Survey.HashSecret("secret-1"), Later);
        Assert.Throws<InvalidTransitionException>(() => survey.ErasePersonalData(Later.AddDays(1)));
        survey.Save("r1", new Dictionary<string, string> { ["money_spent"] = "42000" }, submit: true, Later.AddDays(2));

        survey.ErasePersonalData(Later.AddYears(7));
        var respondent = Assert.Single(survey.Data.Respondents);
        Assert.Equal(string.Empty, respondent.Email);
        Assert.Empty(respondent.TokenHashes);
        Assert.Equal("42000", respondent.Answers["money_spent"]);
    }

    [Fact]
    public void AChainWithDeclaredErasuresVerifiesAndAnUndeclaredOneDoesNot()
    {
        var events = new List<AuditEvent>();
        var head = AuditChain.Genesis;
        foreach (var (type, payload) in new[] { ("Started", """{"email":"a@example.org"}"""), ("Edited", """{"adviser":"J. de Vries"}"""), (AuditChain.ErasureEventType, AuditChain.ErasurePayload([1, 2])) })
        {
            var e = AuditChain.Append("app-1", events.Count, head, type, "someone", Later.AddMinutes(events.Count), payload);
            events.Add(e);
            head = e.Hash;
        }

        var erased = events.Select(e => e.Type == AuditChain.ErasureEventType ? e : e with { Payload = AuditChain.ErasedPayload }).ToList();
        Assert.True(AuditChain.Verify(erased, 3, head).IsIntact);

        // Erasing the erasure event's own list, or an event it does not name, breaks the chain.
        var undeclared = erased.Select(e => e.Type == AuditChain.ErasureEventType ? e with { Payload = AuditChain.ErasurePayload([1]) } : e).ToList();
        Assert.False(AuditChain.Verify(undeclared, 3, head).IsIntact);
        var forgedHash = erased.Select((e, i) => i == 0 ? e with { PayloadHash = AuditChain.HashPayload("{}") } : e).ToList();
        Assert.Equal(1, AuditChain.Verify(forgedHash, 3, head).FirstBrokenSequence);
    }

    [Fact]
    public void EventsWrittenBeforePayloadHashesStillVerifyAndCannotBeErased()
    {
        // The earlier format: the event hash covered the payload itself, and no payload hash was stored.
        const string payload = """{"email":"a@example.org"}""";
        var hash = AuditChain.ComputeHashOfPayloadHash("app-1", 1, "Started", "someone", Later, payload, AuditChain.Genesis);
        var legacy = new AuditEvent("app-1", 1, "Started", "someone", Later, payload, AuditChain.Genesis, hash) { PayloadHash = string.Empty };
        Assert.True(AuditChain.Verify([legacy], 1, hash).IsIntact);
        Assert.False(AuditChain.Verify([legacy with { Payload = """{"email":"b@example.org"}""" }], 1, hash).IsIntact);
        Assert.False(AuditChain.Verify([legacy with { Payload = AuditChain.ErasedPayload }], 1, hash).IsIntact);
    }
}
