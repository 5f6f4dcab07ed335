using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
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

/// <summary>Small but well-formed PDF files of any size.</summary>
public static class TestPdf
{
    public static byte[] Create(int size, int seed = 1)
    {
        var head = Encoding.ASCII.GetBytes("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog >> endobj\n");
        var tail = Encoding.ASCII.GetBytes("\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var bytes = new byte[Math.Max(size, head.Length + tail.Length)];
        new Random(seed).NextBytes(bytes);
        head.CopyTo(bytes, 0);
        tail.CopyTo(bytes, bytes.Length - tail.Length);
        return bytes;
    }

    /// <summary>
    /// A project plan as office software writes it: pages, fonts and metadata in a compressed object
    /// stream, compressed page content, a Flate image and a JPEG, an ICC profile and XMP metadata.
    /// </summary>
    public static byte[] Plan()
    {
        var text = new StringBuilder();
        for (var line = 0; line < 200; line++)
        {
            text.Append(CultureInfo.InvariantCulture, $"BT /F1 11 Tf 72 {760 - (line % 50 * 14)} Td (Projectplan werkplekinnovatie, regel {line}: streams of work, launch in 2009, \\(JavaScript-free\\)) Tj ET\n");
            text.Append(CultureInfo.InvariantCulture, $"q 0.5 0 0 RG {line} {line} m {line + 100} {line + 40} l S Q /Im1 Do\n");
        }

        var pixels = new byte[64 * 64 * 3];
        new Random(2008).NextBytes(pixels);
        return new PdfFileBuilder()
            .Object("<< /Type /Catalog /Pages 3 0 R /Metadata 10 0 R /Lang (nl-NL) /MarkInfo << /Marked true >> >>")
            .Object("<< /Producer (Writer) /Title (Projectplan) /CreationDate (D:20080301120000+01'00') >>")
            .ObjectStream(
            [
                "<< /Type /Pages /Kids [5 0 R] /Count 1 /MediaBox [0 0 595.28 841.89] >>",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
                "<< /Type /Page /Parent 3 0 R /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 8 0 R /Im2 9 0 R >> /ColorSpace << /CS0 [/ICCBased 11 0 R] >> >> /Contents 7 0 R /Annots [<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A << /S /URI /URI (https://www.example.org/) >> >>] >>",
            ],
            "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 8 >>",
            d => PdfEncode.Flate(PdfEncode.PngRows(d, 8, type: 2)))
            .Stream("/Filter /FlateDecode", PdfEncode.Flate(Encoding.ASCII.GetBytes(text.ToString())))
            .Stream("/Type /XObject /Subtype /Image /Width 64 /Height 64 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode", PdfEncode.Flate(pixels))
            .Stream("/Type /XObject /Subtype /Image /Width 32 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /DCTDecode", RandomBytes(3000, seed: 2009))
            .Stream("/Type /Metadata /Subtype /XML /Filter /FlateDecode", PdfEncode.Flate(Encoding.UTF8.GetBytes("<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></x:xmpmeta><?xpacket end=\"w\"?>")))
            .Stream("/N 3 /Alternate /DeviceRGB /Filter /FlateDecode", PdfEncode.Flate(RandomBytes(2000, seed: 2010)))
            .Build();
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
