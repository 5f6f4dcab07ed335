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
}
