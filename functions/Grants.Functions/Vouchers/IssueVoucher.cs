using System.Security.Cryptography;
using Grants.Domain.Applications;
using Grants.Domain.Rounds;
using Grants.Domain.Schemes;
using Grants.Domain.Vouchers;
using Grants.Functions.Notifications;
using Grants.Functions.Applications;
using Grants.Functions.Platform.Events;
using Grants.Functions.Rounds;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Vouchers;

/// <summary>Issues the voucher of an application awarded in a voucher round, with an unguessable code mailed to the holder; a voucher issued before is left alone.</summary>
public sealed class IssueVoucherHandler(VoucherStore vouchers, TimeProvider time)
{
    public const string SystemActor = "system:voucher-expiry";

    // Crockford-style alphabet without I, L, O, U: codes are read aloud and typed.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public async Task HandleAsync(ApplicationData awarded, RoundData round, CancellationToken cancellationToken)
    {
        // Any other award (a project subsidy's), or one whose moment has passed when its event arrives, issues nothing.
        if (!Voucher.IsIssuedFor(awarded, round))
        {
            return;
        }

        var code = NewCode();
        var voucher = Voucher.Issue(awarded, round, Voucher.HashCode(code), time.GetUtcNow());
        try
        {
            await vouchers.CreateAsync(voucher, SystemActor, Change.Of(new PendingAuditEvent("VoucherIssued", new { voucher.Data.ValueCents, voucher.Data.ValidUntil }),
                VoucherMail.Issued(awarded, voucher.Data, FormatCode(code), round)), cancellationToken);
        }
        catch (AggregateExistsException)
        {
            // Issued before: one voucher per awarded application, and its code went out with it.
        }
    }

    /// <summary>16 characters from a 32-letter alphabet: 80 random bits.</summary>
    private static string NewCode() => new(Enumerable.Range(0, 16).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray());

    private static string FormatCode(string code) => string.Join('-', code.Chunk(4).Select(c => new string(c)));
}

/// <summary>An award decided in a voucher round issues its voucher (<see cref="ApplicationEvents.AwardDecided"/>); any other award is left to its own instrument.</summary>
public sealed class IssueVoucherOnAward(ApplicationStore applications, RoundStore rounds, IssueVoucherHandler issue) : IEventSubscriber
{
    public string Event => ApplicationEvents.AwardDecided;

    public async Task HandleAsync(EventDelivery delivery, CancellationToken cancellationToken)
    {
        if (await applications.FindAsync(delivery.AggregateId, cancellationToken) is { } awarded && await rounds.FindAsync(awarded.State.RoundId, cancellationToken) is { } round)
        {
            await issue.HandleAsync(awarded.State, round.State, cancellationToken);
        }
    }
}
