namespace Grants.Functions.Applications.Attachments;

public sealed class AttachmentOptions
{
    public const string SectionName = "Attachments";

    /// <summary>Largest file accepted; larger uploads get 413 and nothing is kept.</summary>
    public long MaxBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Size of each block staged to Blob Storage; the most an upload holds in memory at once.</summary>
    public int BlockBytes { get; set; } = 4 * 1024 * 1024;
}
