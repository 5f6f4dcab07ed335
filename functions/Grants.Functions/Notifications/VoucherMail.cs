using Grants.Domain.Applications;
using Grants.Domain.Common;
using Grants.Domain.Rounds;
using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Notifications;

/// <summary>The voucher code goes to the holder once, by mail; Grants keeps only its hash.</summary>
public static class VoucherMail
{
    public static OutboxEmail Issued(ApplicationData holder, VoucherData voucher, string code, RoundData round)
    {
        var roundName = round.Name;
        var (suppliersEn, suppliersNl) = round.Configuration.VoucherRules.ConsultanciesAllowed
            ? ("the knowledge institution or consultancy that does the work", "de kennisinstelling of het adviesbureau dat het werk uitvoert")
            : ("the knowledge institution that does the work", "de kennisinstelling die het werk uitvoert");
        return MailText.InLanguage(holder.Applicant.Language, holder.Applicant.ContactEmail,
            en: ($"Your innovation voucher for {roundName}",
                $"""
                Dear applicant,

                Your organisation has been awarded an innovation voucher of {MailFormat.Euros(voucher.ValueCents, Languages.English)} in the round {roundName}.

                Voucher code: {code}

                Give this code to {suppliersEn}; they claim the voucher with
                their invoice, after which you confirm the work in the portal. The voucher is valid until {MailFormat.DateTime(voucher.ValidUntil, Languages.English)} (Amsterdam time);
                an unused voucher lapses and its value goes to the next applicant on the reserve list.
                """),
            nl: ($"Uw innovatievoucher voor {roundName}",
                $"""
                Geachte heer/mevrouw,

                Aan uw organisatie is in het tijdvak {roundName} een innovatievoucher van {MailFormat.Euros(voucher.ValueCents, Languages.Dutch)} toegekend.

                Vouchercode: {code}

                Geef deze code aan {suppliersNl}; die dient de voucher
                met de factuur bij ons in, waarna u in het portaal bevestigt dat het werk is uitgevoerd. De voucher is geldig tot {MailFormat.DateTime(voucher.ValidUntil, Languages.Dutch)} (Amsterdamse tijd);
                een ongebruikte voucher vervalt en de waarde gaat naar de volgende aanvrager op de reservelijst.
                """),
            confidential: true);
    }
}
