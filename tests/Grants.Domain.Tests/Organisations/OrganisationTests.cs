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

    /// <summary>An organisation applies as registered; once retention erased its contact people, only after registering again.</summary>
    [Fact]
    public void AnOrganisationWhoseContactsWereErasedAppliesOnlyOnceRegisteredAgain()
    {
        var registered = Organisation.Register("12345678", "Zorg BV", "care", "small", false, "nl", new Representative("u1", "A. Bakker", "a@example.org"), DateTimeOffset.UnixEpoch);
        Assert.Equal(("12345678", "a@example.org", "care"), (Organisation.Applicant(registered).Kvk, Organisation.Applicant(registered).ContactEmail, Organisation.Applicant(registered).Sector));

        var erased = Organisation.ErasePersonalData(registered, DateTimeOffset.UnixEpoch.AddYears(8));
        Assert.Contains("register it again", Assert.Throws<OrganisationNotRegisteredException>(() => Organisation.Applicant(erased)).Message, StringComparison.Ordinal);

        var again = Organisation.RegisterAgain(erased, registered with { RegisteredAt = DateTimeOffset.UnixEpoch.AddYears(9) });
        Assert.Equal("a@example.org", Organisation.Applicant(again).ContactEmail);
    }
}
