namespace Grants.Functions.Applications.Attachments;

/// <summary>
/// Looks for the PDF names that make a document act when opened — scripts (<c>/JavaScript</c>),
/// launching programs (<c>/Launch</c>), embedded files (<c>/EmbeddedFile</c>), XML forms and media that
/// run code (<c>/XFA</c>, <c>/RichMedia</c>) — as the upload's blocks stream past, with their <c>#xx</c>
/// escapes decoded (see <see cref="PdfNameReader"/>). Assessors open these files; a plan or budget needs
/// none of it. It reads the bytes as written: names hidden inside compressed object streams are not seen,
/// so this narrows the risk, it does not remove it (the files are also served with
/// <c>Content-Disposition: attachment</c> and never rendered by Grants).
/// </summary>
public sealed class PdfActiveContent
{
    private readonly PdfNameReader _names = new();

    /// <summary>The first active name seen so far, if any.</summary>
    public string? Found => _names.Found;

    public void Scan(ReadOnlySpan<byte> block) => _names.Read(block);
}
