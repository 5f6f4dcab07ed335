using Grants.Domain.Common;
using Grants.Domain.Schemes;

namespace Grants.Domain.Tests.Schemes;

public sealed class SchemeTests
{
    private static Scheme Esf() => Scheme.Create("scheme-1", "  ESF-E social innovation ", Instrument.ProjectSubsidy, "Workplace innovation");

    [Fact]
    public void CreateStartsActiveWithTrimmedName()
    {
        var scheme = Esf();
        Assert.Equal(SchemeStatus.Active, scheme.Data.Status);
        Assert.Equal("ESF-E social innovation", scheme.Data.Name);
        Assert.True(scheme.CanRename);
        Assert.True(scheme.CanRetire);
    }

    [Fact]
    public void RenameKeepsSchemeActive()
    {
        var scheme = Esf();
        scheme.Rename("ESF-E 2009");
        Assert.Equal("ESF-E 2009", scheme.Data.Name);
        Assert.Equal(SchemeStatus.Active, scheme.Data.Status);
    }

    [Fact]
    public void RetireMovesToRetiredWithReason()
    {
        var scheme = Esf();
        scheme.Retire("Converted into a voucher scheme");
        Assert.Equal(SchemeStatus.Retired, scheme.Data.Status);
        Assert.Equal("Converted into a voucher scheme", scheme.Data.RetiredReason);
        Assert.False(scheme.CanRename);
    }

    [Fact]
    public void RenameThrowsInvalidTransitionGivenRetired()
    {
        var scheme = Esf();
        scheme.Retire("ended");
        var error = Assert.Throws<InvalidTransitionException>(() => scheme.Rename("too late"));
        Assert.Equal("Retired", error.Status);
        Assert.Equal("ended", scheme.Data.RetiredReason);
    }

    [Fact]
    public void MachineRebuiltFromStoredDataKeepsItsStatus()
    {
        var stored = Esf();
        stored.Retire("ended");
        var reloaded = new Scheme(stored.Data);
        Assert.False(reloaded.CanRetire);
    }
}
