using System.Net;
using System.Security.Cryptography;
using Azure.Storage.Blobs.Models;
using Grants.Contracts.Applications;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Tests.Infrastructure;

namespace Grants.Functions.Tests.Applications;

public sealed class AttachmentTests(GrantsApi api)
{
    private const int AttachmentBlockBytes = GrantsHost.AttachmentBlockBytes;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Applicant, ApplicationResponse Application)> StartedAsync()
    {
        var round = await api.OpenRoundAsync();
        var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var started = await (await applicant.PostAsync($"api/rounds/{round.Id}/applications", HttpAssertions.Json(new StartApplicationRequest()), Ct))
            .ReadAsync<ApplicationResponse>(HttpStatusCode.Created);
        return (applicant, started);
    }

    private async Task<List<BlobItem>> BlobsOfAsync(string applicationId)
    {
        var container = await api.Storage().ContainerAsync(ContainerNames.Attachments, Ct);
        return await container.GetBlobsAsync(BlobTraits.None, BlobStates.Uncommitted, $"{applicationId}/", Ct).ToListAsync(Ct);
    }

    [Fact]
    public async Task UploadStoresBytesWithHashAndStreamsThemBack()
    {
        var (applicant, application) = await StartedAsync();
        // Larger than one staged block, so the upload spans several.
        var pdf = TestPdf.Create((int)(GrantsHost.AttachmentBlockBytes * 2.5));

        var uploaded = await (await applicant.UploadAsync(application.Id, "project-plan", pdf, "Projectplan 2008.pdf")).ReadAsync<ApplicationResponse>();

        var attachment = Assert.Single(uploaded.Attachments);
        Assert.Equal(pdf.Length, attachment.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), attachment.Sha256);
        Assert.Equal("Projectplan 2008.pdf", attachment.FileName);
        var download = await applicant.GetAsync($"api/applications/{application.Id}/attachments/project-plan", Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("Projectplan 2008.pdf", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task FileThatIsNotAPdfIsRefusedWhateverItsNameAndNothingIsStored()
    {
        var (applicant, application) = await StartedAsync();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };

        var response = await applicant.UploadAsync(application.Id, "project-plan", png, "plan.pdf", "application/pdf");

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        var after = await (await applicant.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Empty(after.Attachments);
        Assert.Empty(await BlobsOfAsync(application.Id));
    }

    [Fact]
    public async Task TruncatedPdfIsRefusedAndNothingIsStored()
    {
        var (applicant, application) = await StartedAsync();
        var pdf = TestPdf.Create(50_000);

        var response = await applicant.UploadAsync(application.Id, "budget", pdf[..40_000], "begroting.pdf");

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Empty((await (await applicant.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>()).Attachments);
        Assert.Empty(await BlobsOfAsync(application.Id));
    }

    [Fact]
    public async Task OversizeUploadAnswers413AndNothingIsStored()
    {
        var (applicant, application) = await StartedAsync();
        var pdf = TestPdf.Create((int)GrantsHost.MaxAttachmentBytes + 1);

        var response = await applicant.UploadAsync(application.Id, "project-plan", pdf, "big.pdf");

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Empty((await (await applicant.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>()).Attachments);
        Assert.Empty(await BlobsOfAsync(application.Id));
    }

    [Fact]
    public async Task OversizeUploadWithoutContentLengthIsStoppedMidStream()
    {
        var (applicant, application) = await StartedAsync();
        var pdf = TestPdf.Create((int)GrantsHost.MaxAttachmentBytes + GrantsHost.AttachmentBlockBytes);
        var content = new StreamContent(new MemoryStream(pdf));
        content.Headers.ContentType = new("application/pdf");
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/applications/{application.Id}/attachments/project-plan") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await applicant.SendAsync(request, Ct);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Empty(await BlobsOfAsync(application.Id));
    }

    [Fact]
    public async Task APdfWithAScriptIsRefusedAndNothingIsStored()
    {
        var (applicant, application) = await StartedAsync();
        // A script action deep in a multi-block file, its name split across two blocks.
        var pdf = TestPdf.Create(3 * AttachmentBlockBytes);
        var script = "\n9 0 obj << /Type /Action /S /JavaScript /JS (app.launchURL('https://evil.example')) >> endobj\n"u8.ToArray();
        script.CopyTo(pdf, AttachmentBlockBytes * 2 - 20);

        var response = await applicant.UploadAsync(application.Id, "project-plan", pdf, "plan.pdf");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Contains("/JavaScript", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        var after = await (await applicant.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Empty(after.Attachments);
        Assert.Empty(await BlobsOfAsync(application.Id));
    }

    [Fact]
    public async Task APdfWithAScriptHiddenInACompressedObjectStreamIsRefusedAndNothingIsStored()
    {
        var (applicant, application) = await StartedAsync();
        // A JPEG fills the first two blocks; the object stream after it straddles the second and third.
        // Its script action is spelled with escapes and compressed behind a PNG predictor.
        var notes = Enumerable.Range(0, 60).Select(i => $"<< /Type /Annot /Subtype /Text /Contents (note {i} {Guid.NewGuid()}) >>").ToList();
        notes.Insert(30, "<< /Type /Action /S /J#61vaScript /JS (app.launchURL\\('https://evil.example'\\)) >>");
        var start = new PdfFileBuilder().Object("<< /Type /Catalog /Pages 3 0 R >>");
        var photo = new byte[(2 * AttachmentBlockBytes) - start.BytesSoFar().Length - 1500];
        new Random(2008).NextBytes(photo);
        var pdf = start
            .Stream("/Type /XObject /Subtype /Image /Width 100 /Height 100 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /DCTDecode", photo)
            .ObjectStream(notes, "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 16 >>", d => PdfEncode.Flate(PdfEncode.PngRows(d, 16, type: 2)))
            .Build();
        var objectStream = pdf.AsSpan().IndexOf("/Type /ObjStm"u8);
        Assert.InRange(2 * AttachmentBlockBytes, objectStream, objectStream + pdf.AsSpan(objectStream).IndexOf("endstream"u8));
        Assert.True(pdf.AsSpan().IndexOf("JavaScript"u8) < 0);

        var response = await applicant.UploadAsync(application.Id, "project-plan", pdf, "plan.pdf");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Contains("active content (/JavaScript)", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await (await applicant.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>()).Attachments);
        Assert.Empty(await BlobsOfAsync(application.Id));
    }

    [Fact]
    public async Task APdfWhoseObjectStreamInflatesPastTheLimitIsRefusedAndNothingIsStored()
    {
        var (applicant, application) = await StartedAsync();
        // 100 MiB of spaces before a script, compressed to about 100 KiB: past the limit the check refuses rather than give up reading.
        var padded = new byte[100 * 1024 * 1024];
        padded.AsSpan().Fill((byte)' ');
        "2 0 "u8.CopyTo(padded);
        "<< /S /JavaScript /JS (x) >>"u8.CopyTo(padded.AsSpan(padded.Length - 64));
        var pdf = new PdfFileBuilder().Object("<< /Type /Catalog /Pages 3 0 R >>")
            .Stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", PdfEncode.Flate(padded))
            .Build();
        Assert.True(pdf.Length < GrantsHost.MaxAttachmentBytes);

        var response = await applicant.UploadAsync(application.Id, "budget", pdf, "begroting.pdf");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        Assert.Contains("cannot be checked for active content: it has a compressed stream that expands past 64 MiB", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await (await applicant.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>()).Attachments);
        Assert.Empty(await BlobsOfAsync(application.Id));
    }

    [Fact]
    public async Task AnOrdinaryPlanWithCompressedPagesIsStored()
    {
        var (applicant, application) = await StartedAsync();
        var pdf = TestPdf.Plan();

        var uploaded = await (await applicant.UploadAsync(application.Id, "project-plan", pdf, "projectplan.pdf")).ReadAsync<ApplicationResponse>();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), Assert.Single(uploaded.Attachments).Sha256);
        Assert.Single(await BlobsOfAsync(application.Id));
    }

    [Fact]
    public async Task AZipBombPosingAsASpreadsheetIsRefusedUnopenedAndNothingIsStored()
    {
        var (applicant, application) = await StartedAsync();
        // 64 MiB of zeros in a 64 KiB archive named like an Excel workbook: refused on its first bytes, never inflated.
        using var archive = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(archive, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                entry.Write(zeros);
            }
        }

        var response = await applicant.UploadAsync(application.Id, "budget", archive.ToArray(), "begroting.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        Assert.Empty((await (await applicant.GetAsync($"api/applications/{application.Id}", Ct)).ReadAsync<ApplicationResponse>()).Attachments);
        Assert.Empty(await BlobsOfAsync(application.Id));
    }

    [Theory]
    [InlineData("../../x.pdf", "x.pdf")]
    [InlineData("..\\..\\windows\\system32\\x.pdf", "x.pdf")]
    [InlineData("plan\r\nContent-Type: evil.pdf", "planContent-Type evil.pdf")]
    [InlineData("..", "project-plan.pdf")]
    public async Task PathTricksInFileNamesAreHarmless(string proposed, string stored)
    {
        var (applicant, application) = await StartedAsync();

        var uploaded = await (await applicant.UploadAsync(application.Id, "project-plan", TestPdf.Create(2_000), proposed)).ReadAsync<ApplicationResponse>();

        Assert.Equal(stored, Assert.Single(uploaded.Attachments).FileName);
        var blob = Assert.Single(await BlobsOfAsync(application.Id));
        Assert.Matches($"^{application.Id}/project-plan/[0-9a-f]{{32}}\\.pdf$", blob.Name);
    }

    [Fact]
    public async Task UnknownKindAnswers404()
    {
        var (applicant, application) = await StartedAsync();
        var response = await applicant.UploadAsync(application.Id, "cv", TestPdf.Create(2_000), "cv.pdf");
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task FilesFreezeAtSubmission()
    {
        var round = await api.OpenRoundAsync();
        using var applicant = await api.RegisteredApplicantAsync(GrantBuilders.NewKvk());
        var submitted = await applicant.SubmittedAsync(round.Id);

        var response = await applicant.UploadAsync(submitted.Id, "budget", TestPdf.Create(3_000), "nieuwe-begroting.pdf");

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        var after = await (await applicant.GetAsync($"api/applications/{submitted.Id}", Ct)).ReadAsync<ApplicationResponse>();
        Assert.Equal("begroting.pdf", after.Attachments.Single(a => a.Kind == "budget").FileName);
    }
}
