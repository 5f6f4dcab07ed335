using Azure;
using Grants.Contracts.Rounds;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Functions.Lottery;
using Grants.Functions.Platform.Http;
using Grants.Functions.Platform.Identity;
using Grants.Functions.Platform.Storage;
using Grants.Functions.Schemes;
using Microsoft.AspNetCore.Http;

namespace Grants.Functions.Rounds;

/// <summary>The ministry's commands on a round: create, configure (draft only), open, close.</summary>
public sealed class RoundHandlers(AggregateStore store, RoundStore rounds, SchemeStore schemes, RoundClosing closing, AnnouncementStore announcements, TimeProvider time)
{
    public async Task<IResult> CreateAsync(string schemeId, CreateRoundRequest request, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (await schemes.FindAsync(schemeId, cancellationToken) is not { } scheme)
        {
            return ResultResponses.Problem(SchemeStore.NotFound(schemeId));
        }

        if (scheme.State.Status != SchemeStatus.Active)
        {
            return Problems.Of(ProblemKind.InvalidTransition, "A retired scheme opens no new rounds.");
        }

        var id = idempotencyKey is null ? RoundStore.NewId() : RoundStore.IdFor(IdempotentRequests.OperationId(caller, idempotencyKey));
        var round = Round.Create(id, schemeId, request.Name, RoundStore.ToDomain(request.Configuration));
        StoredAggregate<RoundData> stored;
        try
        {
            stored = await store.CreateAsync(RoundStore.AggregateType, id, round.Data.Status.ToString(), round.Data, caller.AuditName,
                Change.Of(new PendingAuditEvent("RoundCreated", round.Data)), new Dictionary<string, string> { ["SchemeId"] = schemeId }, cancellationToken);
        }
        catch (AggregateExistsException) when (idempotencyKey is not null)
        {
            stored = await rounds.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Round {id} vanished.");
        }

        return TypedResults.Created($"/api/rounds/{id}", RoundStore.ToResponse(stored)).WithETag(stored.ETag);
    }

    public async Task<IResult> ConfigureAsync(string roundId, ETag ifMatch, ConfigureRoundRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return RoundStore.NotFound(roundId);
        }

        if (stored.ETag != ifMatch)
        {
            throw new ConcurrencyConflictException(roundId);
        }

        var round = new Round(stored.State);
        round.Configure(RoundStore.ToDomain(request.Configuration));
        var saved = await rounds.SaveAsync(stored, round, caller.AuditName, new PendingAuditEvent("RoundConfigured", round.Data.Configuration), cancellationToken);
        return TypedResults.Ok(RoundStore.ToResponse(saved)).WithETag(saved.ETag);
    }

    public async Task<IResult> OpenAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return RoundStore.NotFound(roundId);
        }

        var saved = stored; // when this request's earlier attempt opened it
        if (!stored.WrittenByCurrentOperation)
        {
            var round = new Round(stored.State);
            round.Open(time.GetUtcNow());
            var plan = round.Data.AnalysisPlan!;
            saved = await rounds.SaveAsync(stored, round, caller.AuditName,
                new PendingAuditEvent("RoundOpened", new { configurationVersion = round.Data.Configuration.Version, analysisPlanHash = plan.Hash }), cancellationToken);
        }

        // The analysis plan is committed with the configuration: announced now, before anything about the draw exists
        // (also when an earlier attempt of this request stopped before announcing it).
        await announcements.AnnounceAsync(saved.State, poolStrata: null, cancellationToken);
        return TypedResults.Ok(RoundStore.ToResponse(saved)).WithETag(saved.ETag);
    }

    public async Task<IResult> CloseAsync(string roundId, Caller caller, CancellationToken cancellationToken)
    {
        if (await rounds.FindAsync(roundId, cancellationToken) is not { } stored)
        {
            return RoundStore.NotFound(roundId);
        }

        var saved = stored.WrittenByCurrentOperation ? stored : await closing.CloseAsync(stored, caller.AuditName, cancellationToken);
        return TypedResults.Ok(RoundStore.ToResponse(saved)).WithETag(saved.ETag);
    }
}
