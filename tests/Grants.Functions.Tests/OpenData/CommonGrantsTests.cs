using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grants.Contracts.OpenData;
using Grants.Contracts.Rounds;
using Grants.Contracts.Schemes;
using Grants.Domain.Common;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Json.Schema;

namespace Grants.Functions.Tests.OpenData;

/// <summary>
/// Rounds as CommonGrants 0.4.0 opportunities, read anonymously as a portal would: every answer — a page, one opportunity,
/// and each error — validates against the schemas of the copied protocol document (contracts/commongrants); the page holds
/// the rounds opened and not yet closed, newest change first, and not a draft or a closed round; a closed round is still
/// found by its id, as closed.
/// </summary>
public sealed partial class CommonGrantsTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string SchemaBase = "https://commongrants.invalid/0.4.0/";

    private static readonly Lazy<Protocol> CopiedProtocol = new(() => new Protocol(YamlJson.Read(Path.Combine(RepositoryPaths.Root, "contracts", "commongrants", "openapi.0.4.0.yaml"))!.AsObject()));

    [Fact]
    public async Task OpenedRoundsArePublishedAsOpportunitiesThatValidateAgainstTheProtocolsSchemas()
    {
        var protocol = CopiedProtocol.Value;
        Assert.Equal(Grants.Functions.OpenData.CommonGrantsOpportunities.ProtocolVersion, protocol.Version);

        // An open project-subsidy round for small and medium firms in industry, private or public; a voucher round
        // published for the day after tomorrow; a draft; and a round that was opened and closed.
        var open = await api.OpenRoundAsync(eligibility: new EligibilityRulesDto(["industry"], ["small", "medium"], AllowPrivate: true, AllowPublic: true));
        var forthcoming = await VoucherRoundOpeningInAsync(TimeSpan.FromDays(2));
        // An organisation has applied to the open round: nothing of it, or of its contact or adviser, is an opportunity's business.
        var kvk = GrantBuilders.NewKvk();
        using (var applicant = await api.RegisteredApplicantAsync(kvk))
        {
            await applicant.SubmittedAsync(open.Id);
        }

        var published = new System.Text.StringBuilder();
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var (scheme, _) = await ministry.CreateAsync();
        var draft = await (await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds",
            HttpAssertions.Json(new CreateRoundRequest("Draft round", GrantBuilders.Esf2008(api.Clock))), Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Created);
        var closed = await api.OpenRoundAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await ministry.PostAsync($"api/rounds/{closed.Id}/close", null, Ct)).StatusCode);

        using var portal = api.Anonymous();
        var page = await GetValidAsync(portal, "api/common-grants/opportunities?pageSize=500", protocol.ListResponse);
        var listed = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        var ids = listed.Select(i => i["id"]!.GetValue<string>()).ToList();
        Assert.Contains(Opportunity(open.Id), ids);
        Assert.Contains(Opportunity(forthcoming.Id), ids);
        Assert.DoesNotContain(Opportunity(draft.Id), ids);
        Assert.DoesNotContain(Opportunity(closed.Id), ids);
        Assert.All(ids, id => Assert.Matches(UuidForm(), id));
        var modified = listed.Select(i => DateTimeOffset.Parse(i["lastModifiedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(modified.OrderByDescending(m => m), modified);
        Assert.Equal((200, "Success", 1, 500, listed.Count), (page["status"]!.GetValue<int>(), page["message"]!.GetValue<string>(),
            page["paginationInfo"]!["page"]!.GetValue<int>(), page["paginationInfo"]!["pageSize"]!.GetValue<int>(), page["paginationInfo"]!["totalItems"]!.GetValue<int>()));

        // The open round: what it funds, when it closes, who may apply, where, and how it is allocated.
        var item = JsonSerializer.Deserialize<CommonGrantsOpportunity>(listed.Single(i => i["id"]!.GetValue<string>() == Opportunity(open.Id)).ToJsonString(), JsonSerializerOptions.Web)!;
        Assert.Equal("open", item.Status.Value);
        Assert.EndsWith($": {open.Name}", item.Title, StringComparison.Ordinal);
        Assert.Equal(new CommonGrantsMoney("7000000.00", "EUR"), item.Funding.TotalAmountAvailable);
        Assert.Equal(new CommonGrantsMoney("120000.00", "EUR"), item.Funding.MaxAwardAmount);
        Assert.Null(item.Funding.MinAwardAmount);
        var closes = AmsterdamTime.ToLocal(open.ClosesAt);
        Assert.Equal((closes.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), closes.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
            (item.KeyDates.CloseDate.Date, item.KeyDates.CloseDate.Time));
        Assert.Equal(item.KeyDates.CloseDate.Date, item.KeyDates.OtherDates["applicationPeriod"].EndDate);
        Assert.Equal(["for_profit_small_business", "custom"], item.AcceptedApplicantTypes.Select(t => t.Value));
        Assert.Equal("public_organisation", item.AcceptedApplicantTypes[1].CustomValue);
        Assert.Equal("Private organisations registered with the KvK, of size class small or medium, in the sector industry.", item.AcceptedApplicantTypes[0].Description);
        Assert.Equal("NL-KVK", item.CustomFields["applicantIdentifier"].Value.GetValue<string>());
        Assert.Equal("XI-GRANTS-DEVELOPMENT", item.CustomFields["funder"].Value["id"]!.GetValue<string>());
        Assert.EndsWith($"/api/rounds/{open.Id}/applications", item.CustomFields["applicationUrl"].Value.GetValue<string>(), StringComparison.Ordinal);
        var allocation = item.CustomFields["allocation"].Value;
        Assert.Equal(("lottery", true), (allocation["method"]!.GetValue<string>(), allocation["randomised"]!.GetValue<bool>()));
        // The announcements a reader checks the draw against are there for anyone, at the address given.
        var announcements = await portal.GetAsync(new Uri(allocation["announcementsUrl"]!.GetValue<string>()).PathAndQuery.TrimStart('/'), Ct);
        Assert.Equal(HttpStatusCode.OK, announcements.StatusCode);

        // The forthcoming voucher round: forecasted, each award the voucher's value, as many as the budget buys.
        var voucher = JsonSerializer.Deserialize<CommonGrantsOpportunity>(listed.Single(i => i["id"]!.GetValue<string>() == Opportunity(forthcoming.Id)).ToJsonString(), JsonSerializerOptions.Web)!;
        Assert.Equal("forecasted", voucher.Status.Value);
        Assert.Equal((new CommonGrantsMoney("7500.00", "EUR"), new CommonGrantsMoney("7500.00", "EUR"), 4), (voucher.Funding.MinAwardAmount, voucher.Funding.MaxAwardAmount, voucher.Funding.MaxAwardCount));
        Assert.Equal(AmsterdamTime.ToLocal(forthcoming.OpensAt).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), voucher.KeyDates.OtherDates["applicationPeriod"].StartDate);

        // One opportunity by its id: the same as listed; a closed one as closed; a draft, an id of another form, one never given: the protocol's 404.
        var one = await GetValidAsync(portal, $"api/common-grants/opportunities/{Opportunity(open.Id)}", protocol.ReadResponse);
        Assert.True(JsonNode.DeepEquals(listed.Single(i => i["id"]!.GetValue<string>() == Opportunity(open.Id)), one["data"]), "the opportunity read alone is the one listed");
        // A round closed early: closed, its close date the moment it closed, every timestamp in UTC as the protocol says.
        var closedEarly = JsonSerializer.Deserialize<CommonGrantsOpportunity>((await GetValidAsync(portal, $"api/common-grants/opportunities/{Opportunity(closed.Id)}", protocol.ReadResponse))["data"]!.ToJsonString(), JsonSerializerOptions.Web)!;
        Assert.Equal("closed", closedEarly.Status.Value);
        Assert.True(string.CompareOrdinal($"{closedEarly.KeyDates.CloseDate.Date}T{closedEarly.KeyDates.CloseDate.Time}", AmsterdamTime.ToLocal(closed.ClosesAt).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)) < 0, "closed before its closing time");
        Assert.All(listed.Append(one["data"]!.AsObject()), o => Assert.All(new[] { "createdAt", "lastModifiedAt" }, field => Assert.EndsWith("+00:00", o[field]!.GetValue<string>(), StringComparison.Ordinal)));
        // The source a portal links to opens without a token; a UUID in capitals names the same opportunity (RFC 9562).
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync(new Uri(item.Source).PathAndQuery.TrimStart('/'), Ct)).StatusCode);
        Assert.Equal(Opportunity(open.Id), (await GetValidAsync(portal, $"api/common-grants/opportunities/{Opportunity(open.Id).ToUpperInvariant()}", protocol.ReadResponse))["data"]!["id"]!.GetValue<string>());
        foreach (var unknown in new[] { Opportunity(draft.Id), Opportunity("round-000000000000"), "30a12e5e-5940-4c08-921c-17a8960fcf4b" })
        {
            var error = await GetValidAsync(portal, $"api/common-grants/opportunities/{unknown}", protocol.Error, HttpStatusCode.NotFound);
            Assert.Equal(404, error["status"]!.GetValue<int>());
            Assert.Equal("urn:grants:problem:not-found", error["errors"]![0]!["type"]!.GetValue<string>());
        }

        // Pages: one item a page, in the same order; past the end, none; a page or size out of range, the protocol's error naming it.
        var first = await GetValidAsync(portal, "api/common-grants/opportunities?page=1&pageSize=1", protocol.ListResponse);
        Assert.Single(first["items"]!.AsArray());
        Assert.True(first["paginationInfo"]!["totalPages"]!.GetValue<int>() >= 2);
        var past = await GetValidAsync(portal, "api/common-grants/opportunities?page=100000&pageSize=500", protocol.ListResponse);
        Assert.Empty(past["items"]!.AsArray());
        var defaults = await GetValidAsync(portal, "api/common-grants/opportunities", protocol.ListResponse);
        Assert.Equal((1, 100), (defaults["paginationInfo"]!["page"]!.GetValue<int>(), defaults["paginationInfo"]!["pageSize"]!.GetValue<int>()));
        // The protocol sets no largest page: a larger one is answered with the largest, and says so.
        Assert.Equal(500, (await GetValidAsync(portal, "api/common-grants/opportunities?pageSize=100000", protocol.ListResponse))["paginationInfo"]!["pageSize"]!.GetValue<int>());
        foreach (var (query, field) in new[] { ("page=0", "page"), ("page=one", "page"), ("pageSize=-1", "pageSize") })
        {
            var refused = await GetValidAsync(portal, $"api/common-grants/opportunities?{query}", protocol.Error, HttpStatusCode.UnprocessableEntity);
            Assert.Equal(field, refused["errors"]![0]!["field"]!.GetValue<string>());
        }

        // Search (the protocol's optional route): words, filters, order, page; the request as the protocol writes one.
        async Task<JsonObject> SearchAsync(object body, HttpStatusCode status = HttpStatusCode.OK)
        {
            var json = JsonSerializer.Serialize(body, JsonSerializerOptions.Web);
            // What the API carries out, the protocol allows (what it refuses, the protocol may or may not).
            Assert.True(status != HttpStatusCode.OK || protocol.SearchRequest.Evaluate(JsonDocument.Parse(json).RootElement, Evaluation).IsValid, $"the protocol's request schema refuses {json}");
            var response = await portal.PostAsync("api/common-grants/opportunities/search", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(status == response.StatusCode, $"search {json}: {(int)response.StatusCode} {text}");
            var result = (status == HttpStatusCode.OK ? protocol.SearchResponse : protocol.Error).Evaluate(JsonDocument.Parse(text).RootElement, Evaluation);
            Assert.True(result.IsValid, $"search {json}: the protocol's schema refuses {text}");
            return JsonNode.Parse(text)!.AsObject();
        }

        static IReadOnlyList<string> Found(JsonObject page) => [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];

        Assert.Equal([Opportunity(open.Id)], Found(await SearchAsync(new { search = open.Name.ToUpperInvariant() })));
        var bothNames = $"{open.Name} {forthcoming.Name}";
        Assert.Empty(Found(await SearchAsync(new { search = bothNames })));
        var forecast = new { status = new { @operator = "in", value = new[] { "forecasted" } } };
        Assert.Equal([Opportunity(forthcoming.Id)], Found(await SearchAsync(new { search = forthcoming.Name, filters = forecast })));
        Assert.Empty(Found(await SearchAsync(new { search = open.Name, filters = forecast })));
        Assert.Equal([Opportunity(open.Id)], Found(await SearchAsync(new { search = open.Name, filters = new { status = new { @operator = "notIn", value = new[] { "forecasted", "closed" } } } })));
        Assert.Empty(Found(await SearchAsync(new { search = forthcoming.Name, filters = new { status = new { @operator = "notIn", value = new[] { "forecasted", "closed" } } } })));
        Money Euros(string amount, string currency = "EUR") => new(amount, currency);
        var vouchersOnly = new { maxAwardAmountRange = new { @operator = "between", value = new { min = Euros("7000"), max = Euros("8000.00") } } };
        var found = new List<string>();
        foreach (var name in new[] { open.Name, forthcoming.Name })
        {
            found.AddRange(Found(await SearchAsync(new { search = name, filters = vouchersOnly })));
        }

        Assert.Equal([Opportunity(forthcoming.Id)], found);
        Assert.Empty(Found(await SearchAsync(new { search = forthcoming.Name, filters = new { maxAwardAmountRange = new { @operator = "between", value = new { min = Euros("7000", "USD"), max = Euros("8000", "USD") } } } })));
        Assert.Empty(Found(await SearchAsync(new { search = open.Name, filters = new { minAwardAmountRange = new { @operator = "outside", value = new { min = Euros("0"), max = Euros("1") } } } })));
        var closeDay = item.KeyDates.CloseDate.Date!;
        Assert.Equal([Opportunity(open.Id)], Found(await SearchAsync(new { search = open.Name, filters = new { closeDateRange = new { @operator = "between", value = new { min = closeDay, max = closeDay } } } })));
        Assert.Empty(Found(await SearchAsync(new { search = open.Name, filters = new { closeDateRange = new { @operator = "outside", value = new { min = closeDay, max = closeDay } } } })));
        string Moment(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([Opportunity(open.Id)], Found(await SearchAsync(new { search = open.Name, filters = new { closeDateRange = new { @operator = "between", value = new { min = Moment(open.ClosesAt.AddMinutes(-1)), max = Moment(open.ClosesAt.AddMinutes(1)) } } } })));
        Assert.Empty(Found(await SearchAsync(new { search = open.Name, filters = new { closeDateRange = new { @operator = "between", value = new { min = Moment(open.ClosesAt.AddMinutes(1)), max = Moment(open.ClosesAt.AddMinutes(2)) } } } })));
        // A moment and a date together: the date is its whole day.
        Assert.Equal([Opportunity(open.Id)], Found(await SearchAsync(new { search = open.Name, filters = new { closeDateRange = new { @operator = "between", value = new { min = Moment(open.ClosesAt.AddDays(-1)), max = closeDay } } } })));

        // In the order asked for, the order reported; a custom filter is reported as not applied rather than silently ignored.
        var ordered = await SearchAsync(new { sorting = new { sortBy = "funding.totalAmountAvailable", sortOrder = "asc" }, pagination = new { page = 1, pageSize = 500 }, filters = new { customFilters = new { sector = new { @operator = "eq", value = "industry" } } } });
        var totals = ordered["items"]!.AsArray().Select(i => decimal.Parse(i!["funding"]!["totalAmountAvailable"]!["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(totals.Order(), totals);
        Assert.Equal(("funding.totalAmountAvailable", "asc"), (ordered["sortInfo"]!["sortBy"]!.GetValue<string>(), ordered["sortInfo"]!["sortOrder"]!.GetValue<string>()));
        Assert.Contains("\"sector\"", Assert.Single(ordered["filterInfo"]!["errors"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);

        // A search the API cannot carry out is refused, naming the field, in the protocol's shape.
        foreach (var (body, field) in new (object, string)[]
        {
            (new { sorting = new { sortBy = "custom", customSortBy = "sector" } }, "sorting.sortBy"),
            (new { filters = new { status = new { @operator = "in", value = new[] { "pending" } } } }, "filters.status.value"),
            (new { pagination = new { page = 0 } }, "pagination.page"),
            (new { filters = new { closeDateRange = new { @operator = "between", value = new { min = "0001-01-01", max = "2030-01-01T00:00:00Z" } } } }, "filters.closeDateRange.value"),
            // A moment without its offset would mean whatever the server's zone is.
            (new { filters = new { closeDateRange = new { @operator = "between", value = new { min = "2027-01-01T00:00:00", max = "2027-12-31T00:00:00" } } } }, "filters.closeDateRange.value"),
        })
        {
            Assert.Contains(field, (await SearchAsync(body, HttpStatusCode.UnprocessableEntity))["errors"]!.AsArray().Select(e => e!["field"]?.GetValue<string>()));
        }

        // What the protocol's request schema would refuse and the API does not apply is not echoed as applied either.
        var loose = await portal.PostAsync("api/common-grants/opportunities/search", new StringContent("{\"filters\": {\"customFilters\": {\"x\": null}}}", System.Text.Encoding.UTF8, "application/json"), Ct);
        var looseBody = await loose.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, loose.StatusCode);
        Assert.True(protocol.SearchResponse.Evaluate(JsonDocument.Parse(looseBody).RootElement, Evaluation).IsValid, looseBody);

        // A search changes nothing: a signed-in caller's Idempotency-Key is not kept, so each search is answered afresh and errors keep the protocol's shape.
        using (var signedIn = api.As(Roles.Ministry, subject: "beleidsmedewerker"))
        {
            foreach (var body in new[] { "{\"search\": \"a\"}", "{\"search\": \"b\"}", "{\"pagination\": {\"page\": 0}}" })
            {
                using var keyed = new HttpRequestMessage(HttpMethod.Post, "api/common-grants/opportunities/search") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
                keyed.Headers.Add("Idempotency-Key", "one-key-for-every-search");
                var answer = await signedIn.SendAsync(keyed, Ct);
                Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
                Assert.Equal(body.Contains("page", StringComparison.Ordinal) ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.OK, answer.StatusCode);
            }
        }

        var unknownField = await portal.PostAsync("api/common-grants/opportunities/search", new StringContent("{\"query\": \"innovation\"}", System.Text.Encoding.UTF8, "application/json"), Ct);
        var unread = await unknownField.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.True(protocol.Error.Evaluate(JsonDocument.Parse(unread).RootElement, Evaluation).IsValid, unread);
        Assert.Contains("'query' is not known", JsonNode.Parse(unread)!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // No personal data: the applicant's KvK number, contact and adviser appear nowhere, nor does any e-mail address.
        published.Append(page.ToJsonString()).Append(one.ToJsonString()).Append(ordered.ToJsonString()).Append(defaults.ToJsonString());
        foreach (var personal in new[] { kvk, GrantBuilders.ContactEmail(kvk), "P. Jansen", "J. de Vries", "jdv@advies.example", "beleidsmedewerker", "@" })
        {
            Assert.DoesNotContain(personal, published.ToString(), StringComparison.Ordinal);
        }

        // The schemas judge: a status outside the protocol's options, or an amount that is not a decimal string, is refused.
        var wrong = one["data"]!.DeepClone().AsObject();
        wrong["status"]!["value"] = "pending";
        Assert.False(protocol.Opportunity.Evaluate(JsonDocument.Parse(wrong.ToJsonString()).RootElement, Evaluation).IsValid);
        wrong = one["data"]!.DeepClone().AsObject();
        wrong["funding"]!["totalAmountAvailable"]!["amount"] = 7000000;
        Assert.False(protocol.Opportunity.Evaluate(JsonDocument.Parse(wrong.ToJsonString()).RootElement, Evaluation).IsValid);
    }

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private sealed record Money(string Amount, string Currency);

    private string Opportunity(string roundId) => $"6772616e-7473-8000-8000-{roundId["round-".Length..]}";

    private async Task<RoundResponse> VoucherRoundOpeningInAsync(TimeSpan opensIn)
    {
        using var ministry = api.As(Roles.Ministry, subject: "beleidsmedewerker");
        var scheme = await (await ministry.PostAsync("api/schemes", HttpAssertions.Json(new CreateSchemeRequest($"Innovation vouchers {Guid.NewGuid():N}"[..28], "Voucher")), Ct)).ReadAsync<SchemeResponse>(HttpStatusCode.Created);
        var configuration = GrantBuilders.Esf2008(api.Clock) with
        {
            Instrument = "Voucher", VoucherValueCents = 7_500_00, MaxPerApplicationCents = 7_500_00, BudgetCeilingCents = 30_000_00, MinimumControlGroup = 0,
            OpensAt = GrantBuilders.AmsterdamLocal(api.Clock, opensIn),
        };
        var round = await (await ministry.PostAsync($"api/schemes/{scheme.Id}/rounds", HttpAssertions.Json(new CreateRoundRequest($"Vouchers {Guid.NewGuid():N}"[..16], configuration)), Ct)).ReadAsync<RoundResponse>(HttpStatusCode.Created);
        return await (await ministry.PostAsync($"api/rounds/{round.Id}/open", null, Ct)).ReadAsync<RoundResponse>();
    }

    /// <summary>The answer's body, after checking its status and that the protocol's schema for it accepts it.</summary>
    private static async Task<JsonObject> GetValidAsync(HttpClient client, string path, JsonSchema schema, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"{path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var result = schema.Evaluate(JsonDocument.Parse(body).RootElement, Evaluation);
        Assert.True(result.IsValid, $"{path}: the protocol's schema refuses {body}: "
            + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(5)));
        return JsonNode.Parse(body)!.AsObject();
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex UuidForm();

    /// <summary>
    /// The copied protocol document's schemas: each component registered under an address of its own (its references to
    /// <c>#/components/schemas/X</c> made absolute), and the responses of the two required routes as their paths declare them.
    /// </summary>
    private sealed partial class Protocol
    {
        private readonly BuildOptions _build = new() { SchemaRegistry = new SchemaRegistry() };

        public Protocol(JsonObject document)
        {
            Version = document["info"]!["version"]!.GetValue<string>();
            foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
            {
                var node = JsonNode.Parse(Absolute(schema!))!.AsObject();
                AsJsonSchema(node);
                node["$id"] = SchemaBase + name;
                JsonSchema.FromText(node.ToJsonString(), _build, new Uri(SchemaBase + name));
            }

            var paths = document["paths"]!;
            ListResponse = Response(paths["/common-grants/opportunities"]!["get"]!, "200", "list");
            ReadResponse = Response(paths["/common-grants/opportunities/{oppId}"]!["get"]!, "200", "read");
            Error = Response(paths["/common-grants/opportunities/{oppId}"]!["get"]!, "404", "error");
            var search = paths["/common-grants/opportunities/search"]!["post"]!;
            SearchResponse = Response(search, "200", "search");
            var request = JsonNode.Parse(Absolute(search["requestBody"]!["content"]!["application/json"]!["schema"]!))!;
            AsJsonSchema(request);
            // Read as this API reads a body: a member the protocol does not define is refused.
            request["additionalProperties"] = false;
            SearchRequest = JsonSchema.FromText(request.ToJsonString(), _build, new Uri(SchemaBase + "requests/search"));
            Opportunity = JsonSchema.FromText($"{{\"$ref\": \"{SchemaBase}CommonGrants.Models.OpportunityDetails\"}}", _build, new Uri(SchemaBase + "opportunity"));
        }

        public string Version { get; }

        public JsonSchema ListResponse { get; }

        public JsonSchema ReadResponse { get; }

        public JsonSchema Error { get; }

        public JsonSchema SearchRequest { get; }

        public JsonSchema SearchResponse { get; }

        public JsonSchema Opportunity { get; }

        private JsonSchema Response(JsonNode operation, string status, string name)
        {
            var schema = JsonNode.Parse(Absolute(operation["responses"]![status]!["content"]!["application/json"]!["schema"]!))!;
            AsJsonSchema(schema);
            return JsonSchema.FromText(schema.ToJsonString(), _build, new Uri(SchemaBase + "responses/" + name));
        }

        /// <summary>
        /// An OpenAPI 3.0 schema object as a JSON Schema 2020-12 schema, in place: the keywords OpenAPI 3.0 adds that only
        /// annotate (<c>example</c>, <c>discriminator</c>, <c>xml</c>, <c>externalDocs</c>) go, and <c>nullable: true</c> becomes
        /// <c>null</c> among the types; a time is checked in the form the protocol describes. Any other keyword the dialect does
        /// not know still fails the build.
        /// </summary>
        private static void AsJsonSchema(JsonNode schema)
        {
            if (schema is not JsonObject node)
            {
                return;
            }

            foreach (var annotation in new[] { "example", "discriminator", "xml", "externalDocs" })
            {
                node.Remove(annotation);
            }

            // The protocol's isoTime is "a time on a clock, without a timezone, in ISO 8601 format HH:mm:ss" (its own examples
            // are "17:00:00"), while JSON Schema's format "time" is RFC 3339's, which requires an offset: the protocol's words decide.
            if (node["format"] is JsonValue { } format && format.GetValue<string>() == "time")
            {
                node.Remove("format");
                node["pattern"] = "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$";
            }

            if (node["nullable"] is JsonValue nullable)
            {
                node.Remove("nullable");
                if (nullable.GetValue<bool>() && node["type"] is JsonValue type)
                {
                    node["type"] = new JsonArray(type.GetValue<string>(), "null");
                }
            }

            foreach (var (keyword, value) in node.ToList())
            {
                switch (keyword)
                {
                    case "properties" or "patternProperties" or "$defs":
                        foreach (var (_, property) in value!.AsObject())
                        {
                            AsJsonSchema(property!);
                        }

                        break;
                    case "items" or "additionalProperties" or "not" or "if" or "then" or "else" or "contains" or "propertyNames":
                        AsJsonSchema(value!);
                        break;
                    case "allOf" or "anyOf" or "oneOf" or "prefixItems":
                        foreach (var each in value!.AsArray())
                        {
                            AsJsonSchema(each!);
                        }

                        break;
                }
            }
        }

        private static string Absolute(JsonNode schema) =>
            ComponentReference().Replace(schema.ToJsonString(), m => $"\"{SchemaBase}{m.Groups[1].Value}\"");

        [GeneratedRegex(@"""#/components/schemas/([A-Za-z0-9_.-]+)""")]
        private static partial Regex ComponentReference();
    }
}
