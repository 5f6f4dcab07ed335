using Grants.Domain.Rounds;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Grants.Functions.Rounds;

/// <summary>Every minute: rounds past their closing time close.</summary>
public sealed class CloseDueRounds(CloseDueRoundsHandler handler)
{
    [Function(nameof(CloseDueRounds))]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => handler.HandleAsync(cancellationToken);
}

/// <summary>Closes each open round whose closing time has passed, in the timer's name.</summary>
public sealed partial class CloseDueRoundsHandler(RoundStore rounds, CloseRoundHandler close, TimeProvider time, ILogger<CloseDueRoundsHandler> logger)
{
    public const string SystemActor = "system:round-closing-timer";

    public async Task HandleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var open in await rounds.OpenAsync(cancellationToken))
        {
            if (new Round(open.State).IsDueToClose(now))
            {
                LogClosing(logger, open.Id);
                await close.HandleAsync(open.Id, SystemActor, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing round {RoundId}: its closing time has passed")]
    private static partial void LogClosing(ILogger logger, string roundId);
}
