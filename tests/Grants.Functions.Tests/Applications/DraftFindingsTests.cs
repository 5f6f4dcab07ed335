using System.Net;
using System.Text.Json;
using Grants.Contracts.Applications;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Applications;

/// <summary>
/// Errors early: a draft saves whatever it lacks, and every save answers with what the round would refuse its
/// submission for — the same findings, word for word, that the submission is then refused with.
/// </summary>
public sealed class DraftFindingsTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverySaveOfADraftAnswersWithWhatItsSubmissionWouldBeRefusedFor()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());

        var startResponse = await applicant.PostAsync($"api/rounds/{round.Id}/applications", HttpAssertions.Json(new StartApplicationRequest()), Ct);
        var started = await startResponse.ReadAsync<ApplicationResponse>(HttpStatusCode.Created);
        Assert.Equal(["attachments", "consentToFollowUp", "durationMonths", "requestedAmountCents", "startDate", "summary", "themes", "title"],
            started.DraftFindings!.Keys.Order(StringComparer.Ordinal));

        // A word that is no theme at all is bad input, refused at once; the draft stays as it was.
        var unknown = GrantBuilders.Content("Robots op de werkvloer") with { Themes = ["robotics"] };
        var refusedEdit = await (await EditAsync(applicant, started.Id, startResponse.Headers.ETag!.ToString(), unknown)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Equal(["'robotics' is not a known theme"], refusedEdit.GetProperty("errors").GetProperty("themes").Deserialize<string[]>()!);

        // A theme this round does not fund and an amount above its maximum are saved, and named at once.
        var wrong = GrantBuilders.Content("Robots op de werkvloer", 150_000_00) with { Themes = ["flexible-work-organisation", "process-improvement"] };
        var editResponse = await EditAsync(applicant, started.Id, startResponse.Headers.ETag!.ToString(), wrong);
        var edited = await editResponse.ReadAsync<ApplicationResponse>();
        Assert.Equal("Robots op de werkvloer", edited.Content.Title);
        Assert.Equal(["'process-improvement' is not a theme of this round"], edited.DraftFindings!["themes"]);
        Assert.Equal(["must be positive and at most 12000000 cents"], edited.DraftFindings["requestedAmountCents"]);
        Assert.Equal(["the project plan is missing", "the budget is missing"], edited.DraftFindings["attachments"]);

        await (await applicant.UploadAsync(started.Id, "project-plan", TestPdf.Create(20_000), "plan.pdf")).ReadAsync<ApplicationResponse>();
        var uploadResponse = await applicant.UploadAsync(started.Id, "budget", TestPdf.Create(10_000), "begroting.pdf");
        var withFiles = await uploadResponse.ReadAsync<ApplicationResponse>();
        Assert.Equal(["requestedAmountCents", "themes"], withFiles.DraftFindings!.Keys.Order(StringComparer.Ordinal));

        // Submitting now is refused with exactly those findings, and changes nothing.
        var refused = await (await applicant.PostAsync($"api/applications/{started.Id}/submit", null, Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        var errors = refused.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;
        Assert.Equal(withFiles.DraftFindings, errors);
        var unchanged = await (await applicant.GetAsync($"api/applications/{started.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Draft", unchanged.Status);
        Assert.Equal(withFiles.DraftFindings, unchanged.DraftFindings);

        var fixedDraft = await (await EditAsync(applicant, started.Id, uploadResponse.Headers.ETag!.ToString(), GrantBuilders.Content("Robots op de werkvloer"))).ReadAsync<ApplicationResponse>();
        Assert.Empty(fixedDraft.DraftFindings!);
        var submitted = await (await applicant.PostAsync($"api/applications/{started.Id}/submit", null, Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("Submitted", submitted.Status);
        Assert.Null(submitted.DraftFindings);
    }

    private static Task<HttpResponseMessage> EditAsync(HttpClient applicant, string applicationId, string etag, ApplicationContentDto content)
    {
        var edit = new HttpRequestMessage(HttpMethod.Put, $"api/applications/{applicationId}") { Content = HttpAssertions.Json(new EditApplicationRequest(content)) };
        edit.Headers.TryAddWithoutValidation("If-Match", etag);
        return applicant.SendAsync(edit, Ct);
    }
}
