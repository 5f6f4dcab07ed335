using Grants.Domain.Auditing;

namespace Grants.Domain.Tests.Auditing;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset Start = new(2008, 3, 1, 9, 0, 0, TimeSpan.FromHours(1));

    private static List<AuditEvent> Chain(int length)
    {
        var events = new List<AuditEvent>();
        var head = AuditChain.Genesis;
        for (var i = 0; i < length; i++)
        {
            var e = AuditChain.Append("round-2008", i, head, $"Event{i + 1}", "ministry", Start.AddMinutes(i), $$"""{"n":{{i + 1}}}""");
            events.Add(e);
            head = e.Hash;
        }

        return events;
    }

    [Fact]
    public void VerifyIsIntactGivenUntouchedChain()
    {
        var events = Chain(4);
        var result = AuditChain.Verify(events, 4, events[^1].Hash);
        Assert.True(result.IsIntact);
        Assert.Equal(4, result.EventCount);
        Assert.Null(result.FirstBrokenSequence);
    }

    [Fact]
    public void VerifyNamesAlteredEventGivenChangedPayload()
    {
        var events = Chain(4);
        events[1] = events[1] with { Payload = """{"n":99}""" };
        var result = AuditChain.Verify(events, 4, events[^1].Hash);
        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void VerifyNamesNextEventGivenRehashedAlteration()
    {
        // An attacker who also recomputes the altered event's hash still breaks the next link.
        var events = Chain(4);
        var altered = events[1] with { Actor = "someone else" };
        events[1] = altered with { Hash = AuditChain.ComputeHash(altered.AggregateId, altered.Sequence, altered.Type, altered.Actor, altered.OccurredAt, altered.Payload, altered.PreviousHash) };
        var result = AuditChain.Verify(events, 4, events[^1].Hash);
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void VerifyNamesGapGivenRemovedMiddleEvent()
    {
        var events = Chain(4);
        events.RemoveAt(2);
        var result = AuditChain.Verify(events, 4, events[^1].Hash);
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void VerifyDetectsTruncatedTailGivenHeadFromState()
    {
        var events = Chain(4);
        var head = events[^1].Hash;
        events.RemoveAt(3);
        var result = AuditChain.Verify(events, 4, head);
        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBrokenSequence);
        Assert.Equal("the record counts 4 events but its trail holds 3", result.Problem);
    }

    [Fact]
    public void HashDependsOnEveryField()
    {
        var e = Chain(1)[0];
        var variants = new[]
        {
            AuditChain.ComputeHash("other", e.Sequence, e.Type, e.Actor, e.OccurredAt, e.Payload, e.PreviousHash),
            AuditChain.ComputeHash(e.AggregateId, 2, e.Type, e.Actor, e.OccurredAt, e.Payload, e.PreviousHash),
            AuditChain.ComputeHash(e.AggregateId, e.Sequence, "Other", e.Actor, e.OccurredAt, e.Payload, e.PreviousHash),
            AuditChain.ComputeHash(e.AggregateId, e.Sequence, e.Type, "other", e.OccurredAt, e.Payload, e.PreviousHash),
            AuditChain.ComputeHash(e.AggregateId, e.Sequence, e.Type, e.Actor, e.OccurredAt.AddTicks(1), e.Payload, e.PreviousHash),
            AuditChain.ComputeHash(e.AggregateId, e.Sequence, e.Type, e.Actor, e.OccurredAt, "{}", e.PreviousHash),
            AuditChain.ComputeHash(e.AggregateId, e.Sequence, e.Type, e.Actor, e.OccurredAt, e.Payload, new string('1', 64)),
        };
        Assert.DoesNotContain(e.Hash, variants);
        Assert.Equal(variants.Length, variants.Distinct().Count());
        Assert.Matches("^[0-9a-f]{64}$", e.Hash);
    }

    private static List<AuditEvent> Rehashed(IEnumerable<AuditEvent> events)
    {
        var rewritten = new List<AuditEvent>();
        var head = AuditChain.Genesis;
        foreach (var e in events)
        {
            var again = AuditChain.Append(e.AggregateId, rewritten.Count, head, e.Type, e.Actor, e.OccurredAt, e.Payload);
            rewritten.Add(again);
            head = again.Hash;
        }

        return rewritten;
    }

    [Fact]
    public void VerifyAgainstARecordedHeadIsIntactGivenTheChainGrewSince()
    {
        var events = Chain(5);
        var result = AuditChain.Verify(events, 5, events[^1].Hash, new RecordedHead(3, events[2].Hash, "the export"));
        Assert.True(result.IsIntact, result.Problem);
    }

    [Fact]
    public void VerifyAgainstARecordedHeadNamesTheRecordedEventGivenAHistoryRewrittenWithFreshHashes()
    {
        var events = Chain(4);
        var rewritten = Rehashed(events.Select(e => e.Sequence == 2 ? e with { Payload = """{"n":99}""" } : e));
        Assert.True(AuditChain.Verify(rewritten, 4, rewritten[^1].Hash).IsIntact); // the table alone cannot tell

        var result = AuditChain.Verify(rewritten, 4, rewritten[^1].Hash, new RecordedHead(3, events[2].Hash, "the export of 2008-03-01"));

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("the export of 2008-03-01", result.Problem);
    }

    [Fact]
    public void VerifyAgainstARecordedHeadNamesTheFirstMissingEventGivenAShorterTrail()
    {
        var events = Chain(4);
        var result = AuditChain.Verify(events[..2], 2, events[1].Hash, new RecordedHead(4, events[3].Hash, "the export"));
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("recorded 4 events, but the trail holds 2", result.Problem);
    }

    [Fact]
    public void VerifyAgainstARecordedHeadIsIntactGivenPayloadsErasedSince()
    {
        var events = Chain(4);
        var recorded = new RecordedHead(4, events[3].Hash, "the export");
        events[1] = events[1] with { Payload = AuditChain.ErasedPayload };
        events.Add(AuditChain.Append("round-2008", 4, events[3].Hash, AuditChain.ErasureEventType, "system:retention", Start.AddYears(7), AuditChain.ErasurePayload([2])));

        var result = AuditChain.Verify(events, 5, events[^1].Hash, recorded);

        Assert.True(result.IsIntact, result.Problem);
    }
}
