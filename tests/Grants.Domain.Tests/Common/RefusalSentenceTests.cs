using Grants.Domain.Common;
using Grants.Domain.Organisations;
using Grants.Domain.Vouchers;

namespace Grants.Domain.Tests.Common;

/// <summary>A refusal's message is the problem response's detail: a sentence that names what it is about.</summary>
public sealed class RefusalSentenceTests
{
    [Theory]
    [InlineData("deadline", "must be in the future", "deadline must be in the future.")]
    [InlineData("closesAt", "is in the past; a round must close after it opens", "closesAt is in the past; a round must close after it opens.")]
    [InlineData("seed", "the seed does not match ministry's commitment", "The seed does not match ministry's commitment.")]
    [InlineData("grounds", "say why you object", "Say why you object.")]
    [InlineData("sheetId", "sheet-2 has already been corrected; correct the latest sheet", "sheet-2 has already been corrected; correct the latest sheet.")]
    public void ARuleOnOneFieldReadsAsASentence(string field, string error, string expected)
    {
        var refusal = new DomainRuleException(field, error);

        Assert.Equal(expected, refusal.Message);
        Assert.Equal([error], refusal.Errors[field]);
    }

    [Fact]
    public void VerifyingASupplierTwiceSaysItIsAlreadyVerified()
    {
        var verified = Suppliers.Verify(Suppliers.Register("22222222", "TU Delft", SupplierKind.KnowledgeInstitution, [], DateTimeOffset.UnixEpoch), "ministry", DateTimeOffset.UnixEpoch);

        var refusal = Assert.Throws<InvalidTransitionException>(() => Suppliers.Verify(verified, "ministry", DateTimeOffset.UnixEpoch));

        Assert.Equal("Cannot verify a supplier that is already verified.", refusal.Message);
    }

    [Fact]
    public void AConsultancyShortOfOneReferenceIsToldInTheSingular()
    {
        var consultancy = Suppliers.Register("33333333", "Advies BV", SupplierKind.Consultancy, [], DateTimeOffset.UnixEpoch);

        Assert.Equal("a consultancy needs at least 1 reference for this round (it has 0)",
            Suppliers.Ineligibility(consultancy, new Grants.Domain.Rounds.VoucherRules(MinimumConsultancyReferences: 1)));
    }

    [Fact]
    public void RegisteringAnOrganisationThatIsStillRegisteredSaysSo()
    {
        var registered = Organisation.Register("12345678", "Zorg BV", "care", "medium", true, "nl", new Representative("u1", "A", "a@example.org"), DateTimeOffset.UnixEpoch);

        var refusal = Assert.Throws<InvalidTransitionException>(() => Organisation.RegisterAgain(registered, registered));

        Assert.Equal("Cannot register an organisation that is already registered.", refusal.Message);
    }
}
