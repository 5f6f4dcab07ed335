using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grants.Contracts.Applications;
using Grants.Contracts.Lottery;
using Grants.Contracts.OpenData;
using Grants.Domain.Lottery;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Tests.Infrastructure;
using Grants.Functions.Tests.Retention;
using Json.Schema;

namespace Grants.Functions.Tests.OpenData;

/// <summary>
/// The open data of a drawn, awarded, paid and settled round, read anonymously as any reader would: the 360Giving package
/// validates against the copied 360Giving schemas and the allocation extension, says what was asked, awarded and paid and
/// lets a reader check the award against the published protocol; the scheme's subsidy register lists the recipient; none
/// of it names a person.
/// </summary>
public sealed class ThreeSixtyGivingTests(GrantsApi api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string Standard = Path.Combine(RepositoryPaths.Root, "contracts", "360giving");

    /// <summary>The grant schema as 360Giving publishes it, with the allocation extension's patch merged in (JSON Merge Patch, as an extension applies).</summary>
    private static readonly Lazy<(JsonSchema Package, JsonSchema Grant, JsonSchema Allocation)> Schemas = new(() =>
    {
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var grantText = Read("360-giving-schema.json");
        JsonSchema.FromText(grantText, build);
        // The package schema refers to the grant schema by its 1.4.2 address; the copy is 1.4.3.
        var as142 = JsonNode.Parse(grantText)!.AsObject();
        as142["$id"] = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json";
        JsonSchema.FromText(as142.ToJsonString(), build);
        var package = JsonSchema.FromText(Read("360-giving-package-schema.json"), build);

        var patch = JsonNode.Parse(File.ReadAllText(Path.Combine(Standard, "allocation-extension", "360-giving-schema.json")))!.AsObject();
        var extended = JsonNode.Parse(grantText)!.AsObject();
        extended["$id"] = "urn:grants:test:360giving-with-allocation";
        Merge(extended, patch);
        var grant = JsonSchema.FromText(extended.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var allocation = patch["properties"]!["allocation"]!.ToJsonString();
        return (package, grant, JsonSchema.FromText(allocation, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri("urn:grants:test:allocation")));
    });

    [Fact]
    public async Task ARoundsAwardsArePublishedIn360GivingAndTheSubsidyRegisterWithTheirAllocationAndNoPersonalData()
    {
        var file = await new RetentionScenario(api, _ => { }).SettledGrantAsync();
        using var anonymous = api.Anonymous();

        var response = await anonymous.GetAsync($"api/rounds/{file.RoundId}/open-data/360giving", Ct);
        var json = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var (packageSchema, grantSchema, allocationSchema) = Schemas.Value;
        AssertValid(packageSchema, json);
        var document = JsonNode.Parse(json)!.AsObject();
        foreach (var grantNode in document["grants"]!.AsArray())
        {
            AssertValid(grantSchema, grantNode!.ToJsonString());
            AssertValid(allocationSchema, grantNode["allocation"]!.ToJsonString());
        }

        // The schemas refuse what they should: a grant without a recipient, a chance above 1, a field the extension does not define.
        var broken = document["grants"]![0]!.DeepClone().AsObject();
        broken.Remove("recipientOrganization");
        Assert.False(grantSchema.Evaluate(JsonDocument.Parse(broken.ToJsonString()).RootElement).IsValid);
        var overOne = document["grants"]![0]!["allocation"]!.DeepClone().AsObject();
        overOne["chance"] = 1.5;
        Assert.False(allocationSchema.Evaluate(JsonDocument.Parse(overOne.ToJsonString()).RootElement).IsValid);
        overOne["chance"] = 0.5;
        overOne["seed"] = "00";
        Assert.False(allocationSchema.Evaluate(JsonDocument.Parse(overOne.ToJsonString()).RootElement).IsValid);

                // What was awarded and paid, to whom, by whom.
        var package = JsonSerializer.Deserialize<ThreeSixtyGivingPackage>(json, JsonSerializerOptions.Web)!;
        var grant = Assert.Single(package.Grants);
        using var ministry = api.As(Roles.Ministry);
        var application = await (await ministry.GetAsync($"api/applications/{file.ApplicationId}", Ct)).ReadAsync<ApplicationResponse>();
        var budget = await (await ministry.GetAsync($"api/rounds/{file.RoundId}/budget", Ct)).ReadAsync<BudgetResponse>();
        Assert.Equal($"360G-grants-development-{file.ApplicationId}", grant.Id);
        Assert.Equal(($"NL-KVK-{file.Kvk}", file.Kvk, "NL"), (grant.RecipientOrganization[0].Id, grant.RecipientOrganization[0].CompanyNumber, grant.RecipientOrganization[0].AddressCountry));
        Assert.Equal(("XI-GRANTS-DEVELOPMENT", "Yes", "EUR"), (grant.FundingOrganization[0].Id, grant.FromOpenCall, grant.Currency));
        Assert.Equal(application.Content.RequestedAmountCents / 100m, grant.AmountAppliedFor);
        Assert.Equal(budget.PaidCents / 100m, grant.AmountDisbursed);
        Assert.Equal(grant.AmountDisbursed, grant.DisbursementTransaction.Sum(t => t.Value));
        Assert.True(grant.DisbursementTransaction.Count >= 2, "the advance and the final payment");
        Assert.Equal([new ThreeSixtyGivingEvent("2027-09-01", 18)], grant.PlannedDates);

        // The allocation extension: its chance and rank are the published protocol's, found under the pseudonym it names.
        var allocation = grant.Allocation!;
        var protocol = LotteryProtocol.FromJson(await (await anonymous.GetAsync(new Uri(allocation.ProtocolUrl).PathAndQuery.TrimStart('/'), Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(("lottery", application.Outcome!.ProtocolHash), (allocation.Method, allocation.ProtocolHash));
        Assert.Equal(protocol.Probabilities.Single(p => p.Id == allocation.PoolId).P, allocation.Chance);
        Assert.Equal(protocol.Order.Single(o => o.Id == allocation.PoolId).Rank, allocation.Rank);
        Assert.Contains(allocation.PoolId, protocol.Selected);
        var extension = await anonymous.GetAsync(new Uri(Assert.Single(package.Extensions)).PathAndQuery.TrimStart('/'), Ct);
        Assert.Equal(["360-giving-schema.json"], JsonNode.Parse(await extension.Content.ReadAsStringAsync(Ct))!["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));

        // The same in the flat form publishers use: the standard's column titles, one row per grant.
        var csv = await (await anonymous.GetAsync($"api/rounds/{file.RoundId}/open-data/360giving?format=csv", Ct)).Content.ReadAsStringAsync(Ct);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', Grants.Functions.OpenData.ThreeSixtyGivingCsv.Columns), lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{grant.Id},", lines[1], StringComparison.Ordinal);
        Assert.Contains($",{grant.AmountAwarded.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)},", lines[1], StringComparison.Ordinal);
        Assert.Contains($",NL-KVK-{file.Kvk},", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($",{allocation.ProtocolHash},{allocation.ProtocolUrl}", lines[1], StringComparison.Ordinal);
        json += csv;

        // The scheme's register for the year of the award: the organisation, its KvK number, the round, awarded and paid.
        var round = await (await ministry.GetAsync($"api/rounds/{file.RoundId}", Ct)).ReadAsync<Grants.Contracts.Rounds.RoundResponse>();
        var year = grant.AwardDate[..4];
        var registerJson = await (await anonymous.GetAsync($"api/schemes/{round.SchemeId}/register/{year}", Ct)).Content.ReadAsStringAsync(Ct);
        var register = JsonSerializer.Deserialize<SubsidyRegisterResponse>(registerJson, JsonSerializerOptions.Web)!;
        var entry = Assert.Single(register.Recipients);
        Assert.Equal((grant.RecipientOrganization[0].Name, file.Kvk, file.RoundId, grant.AwardDate, (long)(grant.AmountAwarded * 100), budget.PaidCents),
            (entry.OrganisationName, entry.KvkNumber, entry.RoundId, entry.AwardDate, entry.AwardedCents, entry.PaidCents));
        Assert.Equal((entry.AwardedCents, entry.PaidCents), (register.AwardedCents, register.PaidCents));
        var registerCsv = await (await anonymous.GetAsync($"api/schemes/{round.SchemeId}/register/{year}?format=csv", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"organisation_name,kvk_number,round_id,round_name,award_date,amount_awarded_eur,amount_paid_eur\n{entry.OrganisationName},{file.Kvk},{file.RoundId},{entry.RoundName},{entry.AwardDate},{entry.AwardedCents / 100m:0.00},{entry.PaidCents / 100m:0.00}\n"),
            registerCsv);
        Assert.Empty((await (await anonymous.GetAsync($"api/schemes/{round.SchemeId}/register/{int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) - 1}", Ct)).ReadAsync<SubsidyRegisterResponse>()).Recipients);
        await (await anonymous.GetAsync($"api/schemes/{round.SchemeId}/register/1999", Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        await (await anonymous.GetAsync($"api/schemes/{round.SchemeId}/register/２０２６", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await anonymous.GetAsync($"api/schemes/{round.SchemeId}/register/{year}?format=xml", Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        json += registerJson + registerCsv;

        // The scheme's package holds the same grant, beside any other round's.
        var schemeJson = await (await anonymous.GetAsync($"api/schemes/{round.SchemeId}/open-data/360giving", Ct)).Content.ReadAsStringAsync(Ct);
        AssertValid(packageSchema, schemeJson);
        Assert.Contains(JsonSerializer.Deserialize<ThreeSixtyGivingPackage>(schemeJson, JsonSerializerOptions.Web)!.Grants, g => g.Id == grant.Id);
        json += schemeJson;

        // Only organisations: no contact person, adviser or e-mail address of anyone in the round. Not awarded: not
        // published — every other application of the round is absent by id and KvK number.
        var applications = (await (await ministry.GetAsync($"api/rounds/{file.RoundId}/applications?pageSize=100", Ct)).ReadAsync<ApplicationPageResponse>()).Items;
        Assert.All(applications, a => Assert.DoesNotContain(GrantBuilders.ContactEmail(a.OrganisationKvk), json, StringComparison.OrdinalIgnoreCase));
        foreach (var personal in new[] { "P. Jansen", "J. de Vries", "jdv@advies.example", "Subsidie Advies", "@" })
        {
            Assert.DoesNotContain(personal, json, StringComparison.OrdinalIgnoreCase);
        }

        var others = applications.Where(a => a.Id != file.ApplicationId).ToList();
        Assert.NotEmpty(others);
        Assert.All(others, other =>
        {
            Assert.DoesNotContain(other.Id, json, StringComparison.Ordinal);
            Assert.DoesNotContain(other.OrganisationKvk, json, StringComparison.Ordinal);
        });

        // A format it is not published in is refused; a round without awards has no package (360Giving needs at least one grant).
        await (await anonymous.GetAsync($"api/rounds/{file.RoundId}/open-data/360giving?format=xml", Ct)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "validation-failed");
        var empty = await api.OpenRoundAsync();
        await (await anonymous.GetAsync($"api/rounds/{empty.Id}/open-data/360giving", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await anonymous.GetAsync("api/open-data/360giving/allocation-extension/appsettings.json", Ct)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    /// <summary>
    /// A copied schema as a validator reads it: 360Giving names the 2020-12 dialect by its http address, which the
    /// validator knows by its https one (the same meta-schema); the copies themselves stay unchanged.
    /// </summary>
    private static string Read(string name) => File.ReadAllText(Path.Combine(Standard, "standard", name))
        .Replace("\"http://json-schema.org/draft/2020-12/schema\"", "\"https://json-schema.org/draft/2020-12/schema\"", StringComparison.Ordinal);

    private static void AssertValid(JsonSchema schema, string json)
    {
        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    /// <summary>RFC 7396 JSON Merge Patch: objects merge, null removes, anything else replaces.</summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
