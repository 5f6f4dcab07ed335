using System.Text.Json;
using Grants.Contracts.Rounds;
using Grants.Domain.Lottery;
using Grants.Functions.Lottery;

namespace Grants.Functions.Tests.Lottery;

/// <summary>
/// A frozen pool is stored once and read back for the rest of the round's life, so its document keeps its
/// form: the bytes written today are those written when the API's pool response was the stored type, and a
/// pool stored then reads back whole.
/// </summary>
public sealed class PoolFormatTests
{
    private static readonly DateTimeOffset FrozenAt = new(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(1));

    private static FrozenPool Pool() => FrozenPool.Of("round-0123456789ab", FrozenAt,
    [
        new PoolEntry("P-bbbbbbbbbb", "sme", 2_500_000, "industry", "small", false, FrozenAt.AddDays(-3), "app-2"),
        new PoolEntry("P-aaaaaaaaaa", "large", 9_000_000, "services", "large", true, FrozenAt.AddDays(-9), "app-1"),
    ]);

    [Fact]
    public void StoredDocumentKeepsItsBytes()
    {
        const string expected =
            """{"roundId":"round-0123456789ab","frozenAt":"2026-03-02T09:30:00+01:00","poolHash":"HASH","canonical":"[{\u0022id\u0022:\u0022P-aaaaaaaaaa\u0022,\u0022stratum\u0022:\u0022large\u0022,\u0022amount\u0022:9000000},{\u0022id\u0022:\u0022P-bbbbbbbbbb\u0022,\u0022stratum\u0022:\u0022sme\u0022,\u0022amount\u0022:2500000}]","entries":[{"id":"P-aaaaaaaaaa","applicationId":"app-1","stratum":"large","amount":9000000,"sector":"services","sizeClass":"large","isPublic":true,"submittedAt":"2026-02-21T09:30:00+01:00"},{"id":"P-bbbbbbbbbb","applicationId":"app-2","stratum":"sme","amount":2500000,"sector":"industry","sizeClass":"small","isPublic":false,"submittedAt":"2026-02-27T09:30:00+01:00"}]}""";
        var pool = Pool();

        Assert.Equal(LotteryPool.Hash("""[{"id":"P-aaaaaaaaaa","stratum":"large","amount":9000000},{"id":"P-bbbbbbbbbb","stratum":"sme","amount":2500000}]"""), pool.PoolHash);
        Assert.Equal(expected.Replace("HASH", pool.PoolHash, StringComparison.Ordinal), PoolStore.Serialize(pool).ToString());
    }

    [Fact]
    public void AnEntryKeepsWhatItsMethodOrdersByAndReadsItBack()
    {
        var pool = FrozenPool.Of("round-0123456789ab", FrozenAt,
        [
            new PoolEntry("P-aaaaaaaaaa", "all", 2_500_000, "industry", "small", false, FrozenAt.AddDays(-3), "app-1", CompletedAt: FrozenAt.AddDays(-2)),
            new PoolEntry("P-bbbbbbbbbb", "all", 2_500_000, "industry", "small", false, FrozenAt.AddDays(-3), "app-2", Score: 7.250m),
        ]);

        var stored = PoolStore.Serialize(pool).ToString();
        var read = PoolStore.Serialize(pool).ToObjectFromJson<FrozenPool>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Contains("\"submittedAt\":\"2026-02-27T09:30:00+01:00\",\"completedAt\":\"2026-02-28T09:30:00+01:00\"}", stored, StringComparison.Ordinal);
        Assert.Contains("\"score\":7.250}", stored, StringComparison.Ordinal);
        Assert.Equal(pool.Entries, read.Entries);
    }

    [Fact]
    public void StoredDocumentIsWhatThePoolResponseUsedToStore()
    {
        var pool = Pool();
        var before = BinaryData.FromObjectAsJson(PoolResponses.From(pool), new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.Equal(before.ToString(), PoolStore.Serialize(pool).ToString());
        var read = before.ToObjectFromJson<FrozenPool>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(pool with { Entries = [] }, read with { Entries = [] });
        Assert.Equal(pool.Entries, read.Entries);
    }
}
