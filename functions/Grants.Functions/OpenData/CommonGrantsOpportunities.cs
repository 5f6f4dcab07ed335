using System.Globalization;
using System.Text.Json.Nodes;
using Grants.Contracts.OpenData;
using Grants.Domain.Allocation;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Functions.Notifications;
using Grants.Functions.Platform.Commands;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Rounds;
using Grants.Functions.Schemes;
using Microsoft.Extensions.Options;

namespace Grants.Functions.OpenData;

/// <summary>The UUID a round is published under as a CommonGrants opportunity, and back (<see cref="RouteValues.OpportunityPrefix"/>).</summary>
public static class OpportunityIds
{
    public static string Of(string roundId) => RouteValues.OpportunityPrefix + roundId["round-".Length..];

    /// <param name="opportunityId">An id of the route-value form <c>oppId</c>, which the gate has checked.</param>
    public static string RoundOf(string opportunityId) => "round-" + opportunityId[RouteValues.OpportunityPrefix.Length..].ToLowerInvariant();
}

/// <summary>
/// Rounds as CommonGrants opportunities (protocol 0.4.0, docs/open-data.md). The list holds every opened round that has not
/// closed yet — forthcoming ones as <c>forecasted</c>, those taking applications as <c>open</c> — read from the open rounds'
/// own index, never by scanning; a closed round is still found by its id, as <c>closed</c>, so that a portal that listed it
/// learns it closed. A draft is no opportunity: it is not published and may change.
/// </summary>
public sealed class CommonGrantsOpportunities(RoundStore rounds, SchemeStore schemes, IOptions<OpenDataOptions> options, TimeProvider time)
{
    /// <summary>The protocol version these routes implement; pinned, since its models are not yet stable (the tests read the copied document of this version).</summary>
    public const string ProtocolVersion = "0.4.0";

    public const int DefaultPageSize = 100;
    /// <summary>The largest page answered; a larger one asked for is answered with this many.</summary>
    public const int MaxPageSize = 500;

    private const string Euro = "EUR";

    public async Task<Result<OpportunityPageResponse>> PageAsync(string? page, string? pageSize, Uri api, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var number = ReadNumber(page, 1, int.MaxValue, "page", "a whole number of at least 1", errors);
        // The protocol sets no largest page: a larger one is answered with the largest, which the page's info then names.
        var size = Math.Min(ReadNumber(pageSize, DefaultPageSize, int.MaxValue, "pageSize", "a whole number of at least 1", errors), MaxPageSize);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors, "The page asked for is not valid.");
        }

        var all = await ListedAsync(api, cancellationToken);
        return new OpportunityPageResponse(200, "Success", [.. PageOf(all, number, size).Select(l => l.Opportunity)], Pagination(all.Count, number, size));
    }

    /// <summary>
    /// The listed opportunities that hold every word of <see cref="OpportunitySearchRequest.Search"/> in their title or
    /// description (ignoring case) and pass every filter, in the order asked for (the list's order when none is), a page at a time.
    /// </summary>
    public async Task<OpportunitySearchResponse> SearchAsync(OpportunitySearchRequest request, Uri api, CancellationToken cancellationToken)
    {
        var filters = request.Filters ?? new OpportunityFilters();
        var words = (request.Search ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var found = (await ListedAsync(api, cancellationToken))
            .Where(l => words.All(w => l.Opportunity.Title.Contains(w, StringComparison.OrdinalIgnoreCase) || l.Opportunity.Description.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Where(l => OpportunitySearch.Passes(l.Opportunity, l.Round, filters))
            .ToList();
        var sortBy = request.Sorting?.SortBy ?? "lastModifiedAt";
        var order = request.Sorting?.SortOrder ?? (request.Sorting is null ? "desc" : "asc");
        found.Sort((a, b) => OpportunitySearch.Compare(a.Opportunity, b.Opportunity, sortBy, descending: order == "desc"));
        var number = request.Pagination?.Page ?? 1;
        var size = Math.Min(request.Pagination?.PageSize ?? DefaultPageSize, MaxPageSize);
        var notApplied = (filters.CustomFilters ?? new Dictionary<string, JsonNode>()).Keys
            .Select(name => $"The custom filter \"{name}\" is not offered here; it was not applied.").ToList();
        // The filters applied, which no custom filter is among (each is named in the errors instead).
        return new OpportunitySearchResponse(200, "Success", [.. PageOf(found, number, size).Select(l => l.Opportunity)], Pagination(found.Count, number, size),
            new CommonGrantsSortInfo(sortBy, order), new CommonGrantsFilterInfo(filters with { CustomFilters = null }, notApplied));
    }

    /// <summary>Every opened round not yet closed, from the open rounds' own index, as opportunities: the most recently changed first, then by id.</summary>
    private async Task<IReadOnlyList<Listed>> ListedAsync(Uri api, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var listed = await rounds.OpenAsync(cancellationToken);
        var names = await SchemesOfAsync(listed, cancellationToken);
        return [.. listed
            .Select(r => new Listed(Opportunity(r, names.GetValueOrDefault(r.State.SchemeId), api, now), r.State))
            .OrderByDescending(l => l.Opportunity.LastModifiedAt).ThenBy(l => l.Opportunity.Id, StringComparer.Ordinal)];
    }

    private sealed record Listed(CommonGrantsOpportunity Opportunity, RoundData Round);

    private static IEnumerable<Listed> PageOf(IReadOnlyList<Listed> all, int number, int size) =>
        all.Skip((int)Math.Min((long)(number - 1) * size, int.MaxValue)).Take(size);

    private static CommonGrantsPagination Pagination(int total, int number, int size) => new(number, size, total, (total + size - 1) / size);

    /// <param name="opportunityId">An id of the route-value form <c>oppId</c>.</param>
    public async Task<Result<OpportunityResponse>> FindAsync(string opportunityId, Uri api, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(OpportunityIds.RoundOf(opportunityId), cancellationToken) is not { } round || round.State.Status == RoundStatus.Draft)
        {
            return Failure.NotFound($"There is no opportunity {opportunityId}.");
        }

        var scheme = await schemes.FindAsync(round.State.SchemeId, cancellationToken);
        return new OpportunityResponse(200, "Success", Opportunity(round, scheme?.State, api, time.GetUtcNow()));
    }

    private async Task<IReadOnlyDictionary<string, SchemeData>> SchemesOfAsync(IReadOnlyList<StoredAggregate<RoundData>> listed, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, SchemeData>(StringComparer.Ordinal);
        foreach (var schemeId in listed.Select(r => r.State.SchemeId).Distinct(StringComparer.Ordinal))
        {
            if (await schemes.FindAsync(schemeId, cancellationToken) is { } scheme)
            {
                found[schemeId] = scheme.State;
            }
        }

        return found;
    }

    private CommonGrantsOpportunity Opportunity(StoredAggregate<RoundData> stored, SchemeData? scheme, Uri api, DateTimeOffset now)
    {
        var round = stored.State;
        var c = round.Configuration;
        // The opportunity's own public address: the round's resource needs a token, so a portal's link to it would not open.
        var address = new Uri(api, $"api/common-grants/opportunities/{OpportunityIds.Of(round.Id)}");
        return new CommonGrantsOpportunity(
            OpportunityIds.Of(round.Id),
            scheme is null ? round.Name : $"{scheme.Name}: {round.Name}",
            Status(round, now),
            scheme?.Description is { Length: > 0 } description ? description : round.Name,
            Funding(c),
            new CommonGrantsTimeline(
                round.OpenedAt is { } opened ? At("Opportunity posted", opened, "The round was opened and published.") : null,
                round.ClosedAt is { } closed && closed < c.ClosesAt
                    ? At("Applications close", closed, "Applications closed early, at this moment (Amsterdam time).")
                    : At("Applications close", c.ClosesAt, "The last moment an application can be submitted (Amsterdam time)."),
                new Dictionary<string, CommonGrantsEvent>(StringComparer.Ordinal)
                {
                    ["applicationPeriod"] = new(
                        "Application period", "dateRange", null, null,
                        Date(c.OpensAt), Time(c.OpensAt), Date(c.ClosesAt), Time(c.ClosesAt),
                        "Applications are accepted from the start to the end of this period (Amsterdam time)."),
                }),
            ApplicantTypes(c.Eligibility),
            address.AbsoluteUri,
            CustomFields(round, api),
            (round.OpenedAt ?? c.OpensAt).ToUniversalTime(),
            LastModified(stored, now).ToUniversalTime());
    }

    /// <summary>
    /// The round's last change, or, while it is open, the moment the clock changed its status (it began taking
    /// applications, or stopped) if that came later: a portal that syncs by <c>lastModifiedAt</c> learns of both. A
    /// round closed (by the timer or early by staff) has that change as its own.
    /// </summary>
    private static DateTimeOffset LastModified(StoredAggregate<RoundData> stored, DateTimeOffset now)
    {
        var c = stored.State.Configuration;
        var byClock = stored.State.Status != RoundStatus.Open ? DateTimeOffset.MinValue
            : now >= c.ClosesAt ? c.ClosesAt : now >= c.OpensAt ? c.OpensAt : DateTimeOffset.MinValue;
        return byClock > stored.UpdatedAt ? byClock : stored.UpdatedAt;
    }

    private static CommonGrantsOption Status(RoundData round, DateTimeOffset now) =>
        round.Status == RoundStatus.Open && now < round.Configuration.OpensAt
            ? new("forecasted", null, $"Published; applications are accepted from {Local(round.Configuration.OpensAt)} (Amsterdam time).")
            : new Round(round).AcceptsApplications(now)
                ? new("open", null, $"Accepting applications until {Local(round.Configuration.ClosesAt)} (Amsterdam time).")
                : new("closed", null, "No longer accepting applications.");

    private static CommonGrantsFunding Funding(RoundConfiguration c)
    {
        var voucher = c.Instrument == Instrument.Voucher ? c.VoucherValueCents : null;
        var minimum = voucher ?? c.Allocation.MinimumGrant;
        var count = voucher is { } value ? (int?)Math.Min(c.BudgetCeilingCents / value, int.MaxValue) : null;
        var details = (voucher is { } each
                ? $"Vouchers of {Euros(each)} each, at most {count} from a budget of {Euros(c.BudgetCeilingCents)}. "
                : $"A budget of {Euros(c.BudgetCeilingCents)}, at most {Euros(c.MaxPerApplicationCents)} per application. ")
            + AllocationMethod.HowItAllocates(c.Allocation.Method);
        return new CommonGrantsFunding(details, Money(c.BudgetCeilingCents), minimum is { } least ? Money(least) : null, Money(voucher ?? c.MaxPerApplicationCents), count, count);
    }

    /// <summary>
    /// Who may apply. The protocol's options are American; private companies map onto its two kinds of business by size, and
    /// a Dutch public organisation is <c>custom</c>.
    /// </summary>
    private static IReadOnlyList<CommonGrantsOption> ApplicantTypes(EligibilityRules eligibility)
    {
        var sectors = eligibility.Sectors.Count switch { 0 => "", 1 => $", in the sector {eligibility.Sectors[0]}", _ => $", in one of the sectors {OneOf(eligibility.Sectors)}" };
        var sizes = eligibility.SizeClasses.Count == 0 ? SizeClasses.All : eligibility.SizeClasses;
        var types = new List<CommonGrantsOption>();
        if (eligibility.AllowPrivate && sizes.Any(s => s != "large"))
        {
            types.Add(new("for_profit_small_business", null, $"Private organisations registered with the KvK, of size class {OneOf([.. sizes.Where(s => s != "large")])}{sectors}."));
        }

        if (eligibility.AllowPrivate && sizes.Contains("large", StringComparer.Ordinal))
        {
            types.Add(new("for_profit_not_small_business", null, $"Large private organisations registered with the KvK{sectors}."));
        }

        if (eligibility.AllowPublic)
        {
            types.Add(new("custom", "public_organisation", $"Public organisations registered with the KvK, of size class {OneOf(sizes)}{sectors}."));
        }

        return types;
    }

    /// <summary>"small", "small or medium", "micro, small or medium".</summary>
    private static string OneOf(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";

    /// <summary>What the protocol has no field for: how applicants are identified, the funder, where to apply, and how the round is allocated, with the proof.</summary>
    private IReadOnlyDictionary<string, CommonGrantsCustomField> CustomFields(RoundData round, Uri api)
    {
        var method = round.Configuration.Allocation.Method;
        var lottery = $"api/rounds/{round.Id}/lottery";
        var allocation = new JsonObject
        {
            ["method"] = method,
            ["randomised"] = AllocationMethod.Randomises(method),
            ["strata"] = round.Configuration.Allocation.Strata,
        };
        if (AllocationMethod.Randomises(method))
        {
            allocation["announcementsUrl"] = new Uri(api, $"{lottery}/announcements").AbsoluteUri;
            allocation["statusUrl"] = new Uri(api, lottery).AbsoluteUri;
            allocation["protocolUrl"] = new Uri(api, $"{lottery}/protocol").AbsoluteUri;
            allocation["verifyUrl"] = new Uri(api, $"{lottery}/verify").AbsoluteUri;
        }

        var fields = new Dictionary<string, CommonGrantsCustomField>(StringComparer.Ordinal)
        {
            ["applicantIdentifier"] = new("applicantIdentifier", "string", "NL-KVK",
                "Applicants are organisations registered with the Dutch Chamber of Commerce (KvK) and apply under their eight-digit KvK number; "
                + "awards name the recipient NL-KVK-{number} (org-id.guide), never a person."),
            ["funder"] = new("funder", "object", new JsonObject { ["id"] = options.Value.FunderOrgId, ["name"] = options.Value.FunderName },
                "The funder by its organisation identifier (org-id.guide) and name, as its awards are published in 360Giving."),
            ["applicationUrl"] = new("applicationUrl", "string", new Uri(api, $"api/rounds/{round.Id}/applications").AbsoluteUri,
                "Where an organisation applies while the round is open: POST with an applicant's token (operation StartApplication of this API's OpenAPI document)."),
            ["allocation"] = new("allocation", "object", allocation,
                AllocationMethod.HowItAllocates(method) + (AllocationMethod.Randomises(method)
                    ? " Before the draw the seed commitments and the frozen pool's hash are announced (announcementsUrl); after it the protocol is published (protocolUrl) and anyone can have the draw recomputed (verifyUrl)."
                    : "")),
        };
        return fields;
    }

    private static int ReadNumber(string? given, int fallback, int max, string field, string described, IDictionary<string, string[]> errors)
    {
        if (given is null)
        {
            return fallback;
        }

        if (int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }

        errors[field] = [$"must be {described}"];
        return fallback;
    }

    private static CommonGrantsEvent At(string name, DateTimeOffset instant, string description) =>
        new(name, "singleDate", Date(instant), Time(instant), null, null, null, null, description);

    private static string Date(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Local(DateTimeOffset instant) => AmsterdamTime.ToLocal(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static CommonGrantsMoney Money(long cents) => new((cents / 100m).ToString("0.00", CultureInfo.InvariantCulture), Euro);

    /// <summary>As the English letters write an amount (the opportunity's texts are English).</summary>
    private static string Euros(long cents) => MailFormat.Euros(cents, Languages.English);
}
