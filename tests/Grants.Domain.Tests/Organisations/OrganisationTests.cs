using Grants.Domain.Common;
using Grants.Domain.Organisations;

namespace Grants.Domain.Tests.Organisations;

public sealed class OrganisationTests
{
    [Theory]
    [InlineData("12345678", true)]
    [InlineData("00000000", false)]
    [InlineData("1234567", false)]
    [InlineData("123456789", false)]
    [InlineData("1234567a", false)]
    [InlineData("１２３４５６７８", false)]
    public void KvkIsEightAsciiDigits(string kvk, bool valid) => Assert.Equal(valid, Organisation.IsValidKvk(kvk));

    [Fact]
    public void RegisterRefusesUnknownCodes()
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Organisation.Register("12345678", "Zorg BV", "retail", "huge", false, "de", new Representative("u1", "A", "a@example.org"), DateTimeOffset.UnixEpoch));
        Assert.Equal(["preferredLanguage", "sector", "sizeClass"], error.Errors.Keys.Order());
    }
}
