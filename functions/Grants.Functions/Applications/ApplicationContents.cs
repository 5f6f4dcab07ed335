using Grants.Contracts.Applications;
using Grants.Domain.Applications;

namespace Grants.Functions.Applications;

/// <summary>An application's content between its wire form and the domain's.</summary>
public static class ApplicationContents
{
    public static ApplicationContent ToDomain(ApplicationContentDto dto) => new(
        dto.Title, dto.Summary, [.. dto.Themes], dto.RequestedAmountCents, dto.StartDate, dto.DurationMonths, dto.CoFinancingCents,
        dto.Adviser is { } adviser ? new Adviser(adviser.Firm.Trim(), adviser.Contact.Trim(), adviser.Email?.Trim()) : null,
        dto.ConsentToFollowUp);

    public static ApplicationContentDto ToDto(ApplicationContent content) => new(
        content.Title, content.Summary, content.Themes, content.RequestedAmountCents, content.StartDate, content.DurationMonths, content.CoFinancingCents,
        content.Adviser is { } adviser ? new AdviserDto(adviser.Firm, adviser.Contact, adviser.Email) : null,
        content.ConsentToFollowUp);
}
