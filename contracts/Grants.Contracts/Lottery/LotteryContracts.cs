namespace Grants.Contracts.Lottery;

/// <summary>The lowercase hex SHA-256 of your secret 32-byte seed; post it before the round closes.</summary>
public sealed record CommitSeedRequest(string Commitment);

/// <summary>Your 32-byte seed as 64 hex digits; accepted only if it hashes to your commitment.</summary>
public sealed record RevealSeedRequest(string Seed) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (Seed.Length != 64 || !Seed.All(Uri.IsHexDigit))
        {
            yield return ("seed", "must be 32 bytes as 64 hex digits");
        }
    }
}

public sealed record RedrawRequest(string Reason) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => TextRules.SingleLine("reason", Reason, 2000);
}

public sealed record CommitmentResponse(string Party, string Commitment, DateTimeOffset PostedAt, bool Revealed);

public sealed record DrawResponse(string ProtocolHash, DateTimeOffset DrawnAt, bool DrawNeeded, string? SupersededReason, bool HeldForBalance, DateTimeOffset? PublishedAt, string? PublicationNote);

/// <summary>Confirms publication of a draw that the balance check held, with the reason it may go ahead.</summary>
public sealed record ConfirmPublicationRequest(string Note) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate() => TextRules.SingleLine("note", Note, 2000);
}

public sealed record BalanceGroupResponse(string Dimension, string Group, int Units, int Selected, double Expected, double? Z, bool Surprising);

/// <summary>Selections per group against their expectation under the design; a surprising group holds publication.</summary>
public sealed record BalanceReportResponse(string RoundId, double Threshold, bool HoldsPublication, IReadOnlyList<BalanceGroupResponse> Groups);

/// <summary>The lottery's state in a round: commitments (in order), whether each is revealed, the current draw and any set aside.</summary>
public sealed record LotteryStatusResponse(string RoundId, [property: ClosedSet("round-status")] string RoundStatus, IReadOnlyList<CommitmentResponse> Commitments, DrawResponse? Draw, IReadOnlyList<DrawResponse> Superseded);

public sealed record VerificationResponse(string RoundId, string ProtocolHash, bool Verified, string? FirstMismatch);

/// <summary>
/// Raise the budget after the draw: the cut-off moves down the published order. For a stratified
/// design name the stratum. A change that leaves fewer control units than the round's minimum needs
/// <see cref="ConfirmSmallControlGroup"/>.
/// </summary>
public sealed record TopUpRequest(long AmountCents, string Reason, string? Stratum = null, bool ConfirmSmallControlGroup = false) : IValidatable
{
    public IEnumerable<(string Field, string Error)> Validate()
    {
        if (AmountCents <= 0)
        {
            yield return ("amountCents", "must be positive");
        }

        foreach (var error in TextRules.SingleLine("reason", Reason, 2000))
        {
            yield return error;
        }
    }
}

/// <summary>What a budget change does to the selection and to the control group (reserve), before or after applying it.</summary>
public sealed record CutoffChangeResponse(
    bool Applied,
    IReadOnlyList<string> NewlySelected,
    int SelectedBefore,
    int SelectedAfter,
    int ControlBefore,
    int ControlAfter,
    int MinimumControlGroup,
    double? MinimumDetectableEffectBefore,
    double? MinimumDetectableEffectAfter,
    string? ProtocolHash);

public sealed record LedgerEntryResponse(string EntryId, string Kind, string? Reference, long Amount, string By, DateTimeOffset At, string? Reason);

/// <param name="PaidCents">Paid out (voucher redemptions, subsidy payments); spent, so still counted against the ceiling.</param>
public sealed record BudgetResponse(string RoundId, long CeilingCents, long ReservedCents, long CommittedCents, long ReleasedCents, long AvailableCents, IReadOnlyList<LedgerEntryResponse> Entries, long PaidCents = 0);
