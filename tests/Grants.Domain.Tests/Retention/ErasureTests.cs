using Grants.Domain.Applications;
using Grants.Domain.Assessments;
using Grants.Domain.Auditing;
using Grants.Domain.Common;
using Grants.Domain.Execution;
using Grants.Domain.FollowUp;
using Grants.Domain.Organisations;
using Grants.Domain.Rounds;
using Grants.Domain.Vouchers;

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
        survey.Open(Builders.FollowedUp, false, "r1", "contact@example.org", "nl", Survey.HashSecret("secret-1"), Later);
        Assert.Throws<InvalidTransitionException>(() => survey.ErasePersonalData(Later.AddDays(1)));
        survey.Save("r1", new Dictionary<string, string> { ["money_spent"] = "42000" }, submit: true, Later.AddDays(2));

        survey.ErasePersonalData(Later.AddYears(7));
        var respondent = Assert.Single(survey.Data.Respondents);
        Assert.Equal(string.Empty, respondent.Email);
        Assert.Empty(respondent.TokenHashes);
        Assert.Equal("42000", respondent.Answers["money_spent"]);
    }

    [Fact]
    public void AGrantLosesItsReportDocumentsAndKeepsWhatAccountingNeeds()
    {
        var grant = Builders.StartedGrant(100_000_00, Later, 12, 0.8m, 13, "12345678");
        grant.PayAdvance("advance-1", "ministry-1", Later);
        grant.SubmitReport(ReportKinds.Progress, "grant-app-1/report-progress/1.pdf", new string('a', 64), null, Later.AddMonths(6));
        grant.SubmitReport(ReportKinds.Final, "grant-app-1/report-final/2.pdf", new string('b', 64), 90_000_00, Later.AddMonths(13));
        grant.Settle(85_000_00, "ministry-2", Later.AddMonths(14));
        var before = grant.Data;

        grant.ErasePersonalData(Later.AddYears(8));

        var after = grant.Data;
        Assert.All(after.Reports, r => Assert.Null(r.Blob));
        Assert.Equal(before.Reports.Select(r => r with { Blob = null }), after.Reports);
        Assert.Equal((before.Id, before.ApplicationId, before.HolderKvk, before.AwardedCents, before.Status, before.Settlement, before.PaidCents),
            (after.Id, after.ApplicationId, after.HolderKvk, after.AwardedCents, after.Status, after.Settlement, after.PaidCents));
        Assert.Equal(before.Advances, after.Advances);
        Assert.Equal(Later.AddYears(8), after.PersonalDataErasedAt);
        Assert.Throws<InvalidTransitionException>(() => grant.ErasePersonalData(Later.AddYears(9)));
    }

    [Fact]
    public void AVoucherLosesItsInvoiceDocumentAndKeepsItsClaimAndPayment()
    {
        var voucher = Builders.IssuedVoucher(7_500_00, Later, 365, "12345678", Voucher.HashCode("ABCD-EFGH-JKLM"));
        voucher.Claim(Builders.VerifiedSupplier("22222222"), new VoucherRules(), 7_000_00, Later.AddDays(30));
        voucher.AttachInvoice("22222222", "voucher-app-1/invoice/1.pdf", new string('c', 64));
        voucher.Confirm(Later.AddDays(31));
        voucher.Pay("ministry-1", Later.AddDays(32));
        var before = voucher.Data;

        voucher.ErasePersonalData(Later.AddYears(8));

        var after = voucher.Data;
        Assert.Null(after.Claim!.InvoiceBlob);
        Assert.Equal(before.Claim! with { InvoiceBlob = null }, after.Claim);
        Assert.Equal(before with { Claim = after.Claim, PersonalDataErasedAt = Later.AddYears(8) }, after);
        Assert.Equal(500_00, voucher.ReleasedCents);
        Assert.Throws<InvalidTransitionException>(() => voucher.ErasePersonalData(Later.AddYears(9)));
    }

    [Fact]
    public void AClaimedVoucherWhoseInvoiceWasErasedCanStillBeConfirmed()
    {
        // Its invoice hash records that the invoice was there; the voucher's workflow does not depend on the deleted document.
        var voucher = Builders.IssuedVoucher(7_500_00, Later, 365 * 10, "12345678", Voucher.HashCode("ABCD-EFGH-JKLM"));
        voucher.Claim(Builders.VerifiedSupplier("22222222"), new VoucherRules(), 7_000_00, Later.AddDays(30));
        voucher.AttachInvoice("22222222", "voucher-app-1/invoice/1.pdf", new string('c', 64));
        voucher.ErasePersonalData(Later.AddYears(8));

        voucher.Confirm(Later.AddYears(8).AddDays(1));
        Assert.Equal(VoucherStatus.Confirmed, voucher.Data.Status);
    }

    [Fact]
    public void AnAssessmentLosesItsWrittenReasonsAndKeepsItsScoresMembersAndVerdict()
    {
        Criterion[] criteria = [new("fit", "Fit", 1, 5, 1), new("quality", "Quality", 1, 5, 2)];
        var assessment = Assessment.Assign("app-1", "round-1", "12345678", 1, ["anna", "bram"]);
        assessment.Reassign(Builders.CommitteeOf(assessment.Data.RoundId, criteria), "bram", "cees", "Bram's sister works there.", Later, toHolds: 0);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, criteria), "anna", [new("fit", 4, "Ingrid Smit led a similar change."), new("quality", 3, "Plan is thin.")], Later);
        assessment.SubmitScores(Builders.CommitteeOf(assessment.Data.RoundId, criteria), "cees", [new("fit", 5, "Strong fit."), new("quality", 4, "Clear milestones.")], Later);
        assessment.RecordAdvice(Builders.ChairedCommittee(assessment.Data.RoundId), "chair", positive: true, "Marloes Kok of the works council supports it.", Later);
        var before = assessment.Data;

        assessment.ErasePersonalData(Later.AddYears(8));

        var after = assessment.Data;
        Assert.All(after.Sheets.SelectMany(s => s.Scores), s => Assert.Equal(Application.Erased, s.Justification));
        Assert.Equal(before.Sheets.Select(s => (s.SheetId, s.Member, s.SubmittedAt, string.Join(",", s.Scores.Select(x => $"{x.Criterion}={x.Score}")))),
            after.Sheets.Select(s => (s.SheetId, s.Member, s.SubmittedAt, string.Join(",", s.Scores.Select(x => $"{x.Criterion}={x.Score}")))));
        Assert.Equal(before.Reassignments.Select(r => r with { Reason = Application.Erased }), after.Reassignments);
        Assert.Equal(before.Advice! with { Note = Application.Erased }, after.Advice);
        var (kept, original) = (assessment.Aggregate(criteria, 3.0), new Assessment(before).Aggregate(criteria, 3.0));
        Assert.Equal(original.MeanByCriterion, kept.MeanByCriterion);
        Assert.Equal((original.WeightedTotal, original.Passes), (kept.WeightedTotal, kept.Passes));
        Assert.Equal(before.Members, after.Members);
        Assert.Equal((before.Status, before.Rank), (after.Status, after.Rank));
        Assert.Equal(Later.AddYears(8), after.PersonalDataErasedAt);
        Assert.Throws<InvalidTransitionException>(() => assessment.ErasePersonalData(Later.AddYears(9)));
    }

    [Fact]
    public void ACommitteeLosesTheNotesOnItsConflictsAndKeepsWhoDeclaredWhat()
    {
        var committee = Committee.Constitute("round-1", "chair", ["anna", "bram"], [new("fit", "Fit", 1, 5, 1)], 3.0, []);
        committee = Committee.DeclareConflict(committee, new ConflictOfInterest("anna", "12345678", null, "family", "My brother Karel Visser owns it.", Later));

        var erased = Committee.ErasePersonalData(committee, Later.AddYears(8));

        Assert.Equal(committee.Conflicts.Select(c => c with { Note = Application.Erased }), erased.Conflicts);
        Assert.Equal(committee.Members, erased.Members);
        Assert.Equal(committee.Criteria, erased.Criteria);
        Assert.Equal((committee.Chair, committee.PassThreshold), (erased.Chair, erased.PassThreshold));
        Assert.True(erased.IsConflicted("anna", "app-9", "12345678"));
        Assert.Equal(Later.AddYears(8), erased.PersonalDataErasedAt);
        Assert.Throws<InvalidTransitionException>(() => Committee.ErasePersonalData(erased, Later.AddYears(9)));
    }

    [Fact]
    public void AnOrganisationLosesItsContactPeopleAndKeepsItsRegistration()
    {
        var registered = Organisation.Register("12345678", "Metaalbewerking Oost BV", "industry", "medium", false, "nl", new Representative("user-1", "P. Jansen", "p.jansen@metaal-oost.example"), Later);

        var erased = Organisation.ErasePersonalData(registered, Later.AddYears(8));

        Assert.Empty(erased.Representatives);
        Assert.Equal(string.Empty, erased.ContactEmail);
        Assert.Equal((registered.Kvk, registered.LegalName, registered.Sector, registered.SizeClass, registered.IsPublic, registered.PreferredLanguage, registered.RegisteredAt),
            (erased.Kvk, erased.LegalName, erased.Sector, erased.SizeClass, erased.IsPublic, erased.PreferredLanguage, erased.RegisteredAt));
        Assert.Equal(Later.AddYears(8), erased.PersonalDataErasedAt);
        Assert.Throws<InvalidTransitionException>(() => Organisation.ErasePersonalData(erased, Later.AddYears(9)));
    }

    [Fact]
    public void OnlyAnOrganisationWhoseContactPeopleWereErasedRegistersAgain()
    {
        var first = Organisation.Register("12345678", "Metaalbewerking Oost BV", "industry", "medium", false, "nl", new Representative("user-1", "P. Jansen", "p.jansen@metaal-oost.example"), Later);
        var again = Organisation.Register("12345678", "Metaalbewerking Oost BV", "industry", "large", false, "en", new Representative("user-2", "A. de Boer", "a.deboer@metaal-oost.example"), Later.AddYears(9));
        Assert.Throws<InvalidTransitionException>(() => Organisation.RegisterAgain(first, again));
        var erased = Organisation.ErasePersonalData(first, Later.AddYears(8));
        Assert.Throws<InvalidTransitionException>(() => Organisation.RegisterAgain(erased, again with { Kvk = "87654321" }));

        var registered = Organisation.RegisterAgain(erased, again);

        Assert.Equal("a.deboer@metaal-oost.example", registered.ContactEmail);
        Assert.Null(registered.PersonalDataErasedAt);
    }

    [Fact]
    public void ASupplierLosesItsReferencesTextAndKeepsTheirNumberAndItsVerification()
    {
        var registered = Suppliers.Register("12345678", "Adviesbureau Jansen", SupplierKind.Consultancy,
            [new SupplierReference("Bakkerij De Vries", "Lean coaching for the owner, P. de Vries", 2007), new SupplierReference("Gemeente Delft", "Shift planning", 2008)], Later.AddYears(-8));
        var verified = Suppliers.Verify(registered, "beleidsmedewerker", Later.AddYears(-8));

        var erased = Suppliers.ErasePersonalData(verified, Later);

        Assert.All(erased.References, r => Assert.Equal((Application.Erased, Application.Erased), (r.Client, r.Assignment)));
        Assert.Equal([2007, 2008], erased.References.Select(r => r.Year));
        Assert.Equal((verified.Kvk, verified.Name, verified.Kind, verified.VerifiedAt, verified.VerifiedBy), (erased.Kvk, erased.Name, erased.Kind, erased.VerifiedAt, erased.VerifiedBy));
        Assert.Equal(Later, erased.PersonalDataErasedAt);
        Assert.Null(Suppliers.Ineligibility(erased, new VoucherRules(ConsultanciesAllowed: true, MinimumConsultancyReferences: 2)));
        Assert.Throws<InvalidTransitionException>(() => Suppliers.ErasePersonalData(erased, Later));
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
    public void ASaltedPayloadVerifiesAndItsHashConfirmsNoGuessOnceErased()
    {
        const string payload = """{"email":"a@example.org"}""";
        var salt = Enumerable.Range(1, 16).Select(b => (byte)b).ToArray();
        var salted = AuditChain.Salted(payload, salt);
        Assert.Equal("""{"salt":"0102030405060708090a0b0c0d0e0f10","email":"a@example.org"}""", salted);
        Assert.Equal(["null", "{}"], new[] { "null", "{}" }.Select(p => AuditChain.Salted(p, salt)));

        var started = AuditChain.Append("app-1", 0, AuditChain.Genesis, "Started", "someone", Later, salted);
        var erasure = AuditChain.Append("app-1", 1, started.Hash, AuditChain.ErasureEventType, "retention", Later.AddDays(1), AuditChain.ErasurePayload([1]));
        Assert.True(AuditChain.Verify([started, erasure], 2, erasure.Hash).IsIntact);
        var erased = started with { Payload = AuditChain.ErasedPayload };
        Assert.True(AuditChain.Verify([erased, erasure], 2, erasure.Hash).IsIntact);

        // Whoever knows or guesses the address cannot confirm it from what the erased event keeps.
        Assert.NotEqual(AuditChain.HashPayload(payload), erased.PayloadHash);
        Assert.NotEqual(AuditChain.HashPayload(AuditChain.Salted(payload, new byte[16])), erased.PayloadHash);
        Assert.DoesNotContain("0102030405060708090a0b0c0d0e0f10", System.Text.Json.JsonSerializer.Serialize(erased), StringComparison.Ordinal);
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
