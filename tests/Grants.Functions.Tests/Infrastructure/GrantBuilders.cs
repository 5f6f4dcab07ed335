using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Grants.Contracts.Applications;
using Grants.Contracts.Organisations;
using Grants.Contracts.Rounds;
using Grants.Domain.Common;
using Grants.Functions.Platform.Identity;

namespace Grants.Functions.Tests.Infrastructure;

/// <summary>Test data in the shape of the ESF-E rounds (domain.md §1), relative to the host's clock.</summary>
public static class GrantBuilders
{
    private static int _kvk = RandomNumberGenerator.GetInt32(10_000_000, 90_000_000);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh eight-digit KvK number, different for every call in a run.</summary>
    public static string NewKvk() => Interlocked.Increment(ref _kvk).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string AmsterdamLocal(TimeProvider clock, TimeSpan fromNow) =>
        AmsterdamTime.ToLocal(clock.GetUtcNow() + fromNow).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static RoundConfigurationDto Esf2008(TimeProvider clock, TimeSpan? closesIn = null, AllocationDesignDto? allocation = null, EligibilityRulesDto? eligibility = null) => new(
        Year: 2008,
        BudgetCeilingCents: 7_000_000_00,
        MaxPerApplicationCents: 120_000_00,
        Instrument: "ProjectSubsidy",
        VoucherValueCents: null,
        Themes: ["smarter-working", "flexible-work-organisation", "new-relations-at-work"],
        Eligibility: eligibility,
        OpensAt: AmsterdamLocal(clock, TimeSpan.FromMinutes(-1)),
        ClosesAt: AmsterdamLocal(clock, closesIn ?? TimeSpan.FromDays(30)),
        Allocation: allocation,
        FollowUpWaveMonths: [12, 24],
        Consent: new ConsentTextDto("Wij werken mee aan het vervolgonderzoek, ook als wij niet worden ingeloot.", "We take part in the follow-up research, also if we are not drawn."));

    /// <summary>A scheme with one round, opened now; returns the round.</summary>
    public static async Task<RoundResponse> OpenRoundAsync(this GrantsHost api, TimeSpan? closesIn = null, AllocationDesignDto? allocation = null, EligibilityRulesDto? eligibility = null,
        Func<RoundConfigurationDto, RoundConfigurationDto>? adjust = null)
    {
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var (scheme, _) = await ministry.CreateAsync();
        var configuration = Esf2008(api.Clock, closesIn, allocation, eligibility);
        var created = await (await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds",
            HttpAssertions.Json(new CreateRoundRequest($"ESF-E {Guid.NewGuid():N}"[..16], adjust?.Invoke(configuration) ?? configuration)), Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Created);
        return await (await ministry.PostAsync($"api/rounds/{created.Id}/open", null, Ct)).ReadAsync<RoundResponse>();
    }

    /// <summary>Registers an organisation and returns a client acting for it.</summary>
    public static async Task<HttpClient> RegisteredApplicantAsync(this GrantsHost api, string kvk, string sector = "industry", string language = "nl", string sizeClass = "medium", bool isPublic = false)
    {
        var client = api.As(Roles.Applicant, organisation: kvk, subject: $"user-{kvk}");
        var response = await client.PostAsync("api/organisations", HttpAssertions.Json(new RegisterOrganisationRequest(
            kvk, $"Organisatie {kvk} BV", sector, sizeClass, isPublic, language, "P. Jansen", ContactEmail(kvk))), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return client;
    }

    public static string ContactEmail(string kvk) => $"contact-{kvk}@example.org";

    public static ApplicationContentDto Content(string title = "Self-rostering in production", long amountCents = 95_000_00) => new(
        title,
        "Teams plan their own shifts to cut overtime and absenteeism.",
        ["flexible-work-organisation"],
        amountCents,
        new DateOnly(2027, 9, 1),
        18,
        20_000_00,
        new AdviserDto("Subsidie Advies BV", "J. de Vries", "jdv@advies.example"),
        ConsentToFollowUp: true);

    /// <summary>Starts an application with complete content and both PDFs attached.</summary>
    public static async Task<ApplicationResponse> DraftAsync(this HttpClient applicant, string roundId, ApplicationContentDto? content = null)
    {
        var started = await (await applicant.PostAsync($"api/rounds/{roundId}/applications",
            HttpAssertions.Json(new StartApplicationRequest(content ?? Content())), Ct)).ReadAsync<ApplicationResponse>(HttpStatusCode.Created);
        await (await applicant.UploadAsync(started.Id, "project-plan", TestPdf.Create(40_000), "projectplan.pdf")).ReadAsync<ApplicationResponse>();
        return await (await applicant.UploadAsync(started.Id, "budget", TestPdf.Create(10_000), "begroting.pdf")).ReadAsync<ApplicationResponse>();
    }

    public static async Task<ApplicationResponse> SubmittedAsync(this HttpClient applicant, string roundId, ApplicationContentDto? content = null)
    {
        var draft = await applicant.DraftAsync(roundId, content);
        return await (await applicant.PostAsync($"api/applications/{draft.Id}/submit", null, Ct)).ReadAsync<ApplicationResponse>();
    }

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string applicationId, string kind, byte[] bytes, string fileName, string mediaType = "application/pdf")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return client.PutAsync($"api/applications/{applicationId}/attachments/{kind}?fileName={Uri.EscapeDataString(fileName)}", content, Ct);
    }
}
