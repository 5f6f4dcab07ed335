using System.Security.Cryptography;
using System.Text;
using Grants.Evaluation.Export;

namespace Grants.Evaluation.Tests;

public sealed class PseudonymTests
{
    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    [Fact]
    public void AUnitKeepsItsIdAcrossExportsAndTheIdIsTheKeyedHmac()
    {
        var id = Pseudonyms.UnitId(Key, "round-2008", "P-0a1b2c3d4e");
        Assert.Equal(id, Pseudonyms.UnitId(Key, "round-2008", "P-0a1b2c3d4e"));
        // Independently: HMAC-SHA256 over "unit|round|pool", first 10 bytes in lowercase hex.
        var expected = "U-" + Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes("unit|round-2008|P-0a1b2c3d4e")))[..20];
        Assert.Equal(expected, id);
        Assert.Matches("^U-[0-9a-f]{20}$", id);
    }

    [Fact]
    public void WithoutTheKeyTheIdsSayNothing()
    {
        var otherKey = Key.Select(b => (byte)(b ^ 0xff)).ToArray();
        Assert.NotEqual(Pseudonyms.UnitId(Key, "round-2008", "P-0a1b2c3d4e"), Pseudonyms.UnitId(otherKey, "round-2008", "P-0a1b2c3d4e"));
        Assert.NotEqual(Pseudonyms.UnitId(Key, "round-2008", "P-0a1b2c3d4e"), Pseudonyms.UnitId(Key, "round-2009", "P-0a1b2c3d4e"));
        Assert.DoesNotContain("0a1b2c3d4e", Pseudonyms.UnitId(Key, "round-2008", "P-0a1b2c3d4e"), StringComparison.Ordinal);
    }

    [Fact]
    public void AShortKeyIsRefused() =>
        Assert.Throws<ArgumentException>(() => Pseudonyms.UnitId(new byte[16], "round-2008", "P-0a1b2c3d4e"));

    [Fact]
    public void TenThousandUnitsGetTenThousandIds() =>
        Assert.Equal(10_000, Enumerable.Range(0, 10_000).Select(i => Pseudonyms.UnitId(Key, "round-2008", $"P-{i:x10}")).Distinct().Count());
}
