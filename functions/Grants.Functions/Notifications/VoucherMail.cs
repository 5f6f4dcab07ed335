using Grants.Domain.Applications;
using Grants.Domain.Vouchers;
using Grants.Functions.Platform.Storage;

namespace Grants.Functions.Notifications;

/// <summary>The voucher code goes to the holder once, by mail; Grants keeps only its hash.</summary>
public static class VoucherMail
{
    public static OutboxEmail Issued(ApplicationData holder, VoucherData voucher, string code, string roundName)
    {
        var euros = (voucher.ValueCents / 100m).ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("nl-NL"));
        return MailText.InLanguage(holder.Applicant.Language, holder.Applicant.ContactEmail,
            en: ($"Your innovation voucher for {roundName}",
                $"""
                Dear applicant,

                Your organisation has been awarded an innovation voucher of EUR {euros} in the round {roundName}.

                Voucher code: {code}

                Give this code to the knowledge institution or consultancy that does the work; they claim the voucher with
                their invoice, after which you confirm the work in the portal. The voucher is valid until {MailDates.English(voucher.ValidUntil)} (Amsterdam time);
                an unused voucher lapses and its value goes to the next applicant on the reserve list.
                """),
            nl: ($"Uw innovatievoucher voor {roundName}",
                $"""
                Geachte heer/mevrouw,

                Aan uw organisatie is in het tijdvak {roundName} een innovatievoucher van EUR {euros} toegekend.

                Vouchercode: {code}

                Geef deze code aan de kennisinstelling of het adviesbureau dat het werk uitvoert; zij dienen de voucher
                met hun factuur in, waarna u het werk bevestigt. De voucher is geldig tot {MailDates.Dutch(voucher.ValidUntil)} (Amsterdamse tijd);
                een ongebruikte voucher vervalt en de waarde gaat naar de volgende aanvrager op de reservelijst.
                """),
            confidential: true);
    }
}
