using System.Text.RegularExpressions;

namespace Grants.Functions.OpenData;

/// <summary>
/// Who publishes the open data and under which identifiers (docs/open-data.md). In Azure the ministry's own values are set
/// (<c>OpenData__GrantIdPrefix</c>, <c>OpenData__FunderOrgId</c>, <c>OpenData__FunderName</c>); the defaults name a
/// development publisher, so that nothing published locally can pass for a ministry's data.
/// </summary>
public sealed partial class OpenDataOptions
{
    public const string SectionName = "OpenData";

    /// <summary>The publisher's 360Giving prefix: every grant id is <c>{prefix}-{application id}</c>. 360Giving issues it.</summary>
    public string GrantIdPrefix { get; set; } = "360G-grants-development";

    /// <summary>The funder's organisation identifier (org-id.guide), e.g. a Dutch government body's <c>NL-OIN-…</c>.</summary>
    public string FunderOrgId { get; set; } = "XI-GRANTS-DEVELOPMENT";

    public string FunderName { get; set; } = "Grants (development publisher)";

    /// <summary>The licence of the published data; CC0, as Dutch government open data is published by default.</summary>
    public string License { get; set; } = "https://creativecommons.org/publicdomain/zero/1.0/";

    /// <summary>
    /// The public address the published links (the protocol, the extension) start with, where the API is reached through a
    /// gateway; when unset, the address the reader reached the API at.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public bool IsValid => (PublicBaseUrl is null || Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _)) && GrantIdPrefixForm().IsMatch(GrantIdPrefix) && OrgIdForm().IsMatch(FunderOrgId) && !string.IsNullOrWhiteSpace(FunderName)
        && Uri.TryCreate(License, UriKind.Absolute, out _);

    [GeneratedRegex("^360G-[A-Za-z0-9][A-Za-z0-9-]{0,60}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex GrantIdPrefixForm();

    [GeneratedRegex("^[A-Z]{2}-[A-Z0-9]{2,20}-[A-Za-z0-9-]{1,60}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex OrgIdForm();
}
