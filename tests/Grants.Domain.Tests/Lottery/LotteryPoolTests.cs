using Grants.Domain.Lottery;

namespace Grants.Domain.Tests.Lottery;

public sealed class LotteryPoolTests
{
    private static PoolEntry Entry(string id, long amount, string stratum = "all") => new(id, stratum, amount, "industry", "medium", false, default);

    [Fact]
    public void CanonicalJsonMatchesTheDesignExample()
    {
        // docs/design.md §4: sorted by id, keys id/stratum/amount, amounts in cents, no whitespace.
        var json = LotteryPool.CanonicalJson([Entry("A-0002", 9500000), Entry("A-0001", 12000000)]);
        Assert.Equal("""[{"id":"A-0001","stratum":"all","amount":12000000},{"id":"A-0002","stratum":"all","amount":9500000}]""", json);
    }

    [Fact]
    public void HashIsLowercaseSha256OfTheCanonicalBytes()
    {
        // Computed independently (Python hashlib.sha256 over the design example's bytes).
        var json = """[{"id":"A-0001","stratum":"all","amount":12000000},{"id":"A-0002","stratum":"all","amount":9500000}]""";
        Assert.Equal("2ba20e9f6d7b00e220c440647f88fa168a53c8acf5131682158d738790b2166f", LotteryPool.Hash(json));
    }

    [Fact]
    public void OrderIsOrdinalNotCultural()
    {
        var json = LotteryPool.CanonicalJson([Entry("a-1", 1), Entry("B-1", 2), Entry("_x", 3)]);
        Assert.StartsWith("""[{"id":"B-1""", json);
        Assert.EndsWith("""{"id":"a-1","stratum":"all","amount":1}]""", json);
    }

    [Fact]
    public void RefusesIdsThatWouldNeedEscaping()
    {
        Assert.Throws<ArgumentException>(() => LotteryPool.CanonicalJson([Entry("A \"1\"", 1)]));
    }
}
