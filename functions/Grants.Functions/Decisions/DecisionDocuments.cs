using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Decisions;

/// <summary>Decision letters (<i>beschikkingen</i>) from templates in the applicant's language, kept in Blob Storage and mailed.</summary>
public sealed class DecisionDocuments(StorageAccount storage)
{
    public const string Container = "decisions";

    public static (string Subject, string Body) Render(ApplicationData application, string roundName)
    {
        var language = application.Applicant.Language == Languages.English ? Languages.English : Languages.Dutch;
        var dutch = language == Languages.Dutch;
        string Euros(long cents) => MailFormat.Euros(cents, language);
        string Date(DateTimeOffset at) => MailFormat.DateTime(at, language);
        if (application.Award is { DecidedAt: not null } award)
        {
            return dutch
                ? ($"Beschikking: subsidie verleend voor aanvraag {application.ReceiptNumber}",
                    $"Besluit tot subsidieverlening\n\nAan: {application.Applicant.LegalName} (KvK {application.Applicant.Kvk})\nTijdvak: {roundName}\nProject: {application.Content.Title}\n\n" +
                    $"Wij verlenen u een subsidie van ten hoogste {Euros(award.AmountCents)}.\nAanvaard deze verlening in het portaal vóór {Date(award.AcceptBy!.Value)} (Amsterdamse tijd); zonder aanvaarding vervalt zij.\n")
                : ($"Decision: grant awarded for application {application.ReceiptNumber}",
                    $"Decision to award a grant\n\nTo: {application.Applicant.LegalName} (KvK {application.Applicant.Kvk})\nRound: {roundName}\nProject: {application.Content.Title}\n\n" +
                    $"We award you a grant of at most {Euros(award.AmountCents)}.\nPlease accept it in the portal before {Date(award.AcceptBy!.Value)} (Amsterdam time); without acceptance it lapses.\n");
        }

        var rejection = application.Rejection ?? throw new InvalidOperationException("Nothing has been decided.");
        string Note(string label) => string.IsNullOrWhiteSpace(rejection.Note) ? "" : $"\n{label}: {rejection.Note}\n";
        return dutch
            ? ($"Beschikking: aanvraag {application.ReceiptNumber} afgewezen",
                $"Besluit tot afwijzing\n\nAan: {application.Applicant.LegalName} (KvK {application.Applicant.Kvk})\nTijdvak: {roundName}\nProject: {application.Content.Title}\n\n" +
                $"Wij wijzen uw aanvraag af om de volgende redenen:\n{ReasonTexts.List(rejection.ReasonCodes, language)}\n{Note("Toelichting")}\n" +
                "U kunt binnen zes weken na de datum van dit besluit bezwaar maken.\n")
            : ($"Decision: application {application.ReceiptNumber} rejected",
                $"Decision to reject\n\nTo: {application.Applicant.LegalName} (KvK {application.Applicant.Kvk})\nRound: {roundName}\nProject: {application.Content.Title}\n\n" +
                $"We reject your application for the following reasons:\n{ReasonTexts.List(rejection.ReasonCodes, language)}\n{Note("Explanation")}\n" +
                "You may object within six weeks of the date of this decision.\n");
    }

    /// <summary>Stores the letter; the name says which decision it records, so a retried decision overwrites its own letter only.</summary>
    public async Task<string> StoreAsync(ApplicationData application, string kind, string body, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        var name = $"{application.Id}/{kind}.txt";
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(body), overwrite: true, cancellationToken);
        return name;
    }

    /// <summary>Retention: removes every letter of the application.</summary>
    public async Task DeleteAllAsync(string applicationId, CancellationToken cancellationToken)
    {
        var container = await storage.ContainerAsync(Container, cancellationToken);
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{applicationId}/", cancellationToken))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }
}
