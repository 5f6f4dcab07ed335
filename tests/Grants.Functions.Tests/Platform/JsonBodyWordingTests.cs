using System.Text.Json;
using Grants.Contracts.Applications;
using Grants.Contracts.Schemes;
using Grants.Functions.Platform.Http;

namespace Grants.Functions.Tests.Platform;

/// <summary>A body the reader refuses is explained in the caller's terms: which field, and what is wrong with it.</summary>
public sealed class JsonBodyWordingTests
{
    [Theory]
    [InlineData("""{"amountCents": 99999999999999999999}""", "The field 'amountCents' is a number too large for it: at most 9223372036854775807.")]
    [InlineData("""{"amountCents": 12.5}""", "The field 'amountCents' must be a whole number.")]
    [InlineData("""{"amountCents": "500"}""", "The field 'amountCents' has the wrong type: a number is expected.")]
    public void ANumberTheFieldCannotHoldSaysSo(string body, string expected) =>
        Assert.Equal(expected, Refusal<AwardRequest>(body));

    [Fact]
    public void ANullForARequiredFieldNamesTheField() =>
        Assert.Equal("The field 'name' must not be null.", Refusal<CreateSchemeRequest>("""{"name": null, "instrument": "Voucher"}"""));

    [Fact]
    public void ANestedFieldIsNamedByItsPath() =>
        Assert.Equal(
            "The field 'content.durationMonths' is a number too large for it: at most 2147483647.",
            Refusal<EditApplicationRequest>("""{"content": {"title": "t", "summary": "s", "themes": [], "requestedAmountCents": 1, "startDate": null, "durationMonths": 3000000000, "coFinancingCents": 0, "adviser": null, "consentToFollowUp": true}}"""));

    /// <summary>An amount within a 64-bit number but above what any figure may hold is refused, by its path, wherever it sits.</summary>
    [Fact]
    public void AnAmountAboveTheLimitIsNamedByItsPath()
    {
        var content = new ApplicationContentDto("t", "s", [], Grants.Domain.Common.Money.MaxCents + 1, null, null, Grants.Domain.Common.Money.MaxCents, null, true);

        Assert.Equal([("content.requestedAmountCents", $"must be at most {Grants.Domain.Common.Money.MaxCents} cents")], AmountLimit.Check(new EditApplicationRequest(content)));
        Assert.Empty(AmountLimit.Check(new EditApplicationRequest(content with { RequestedAmountCents = Grants.Domain.Common.Money.MaxCents })));
        Assert.Equal(["criteria[0].x"], AmountLimit.Check(new { Criteria = new[] { new { XCents = Grants.Domain.Common.Money.MaxCents + 1 } } }).Select(e => e.Field[..^"Cents".Length]));
    }

    private static string Refusal<T>(string body)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<T>(body, JsonBody.Strict));
        return JsonBody.Describe(e, System.Text.Encoding.UTF8.GetBytes(body));
    }
}
