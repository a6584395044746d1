using MailAuth.Records;

namespace MailAuth.Ses;

/// <summary>
/// The DMARC TXT record for the SES table (RFC 7489 §6.3), built here only until feat/dmarc's
/// New-DmarcRecord builder is merged; then Get-SesDnsRecord calls that builder instead.
/// </summary>
internal static class SesDmarcRecordDraft
{
    internal static DnsRecord Build(string domain, string policy, string reportAddress, int ttl)
    {
        var value = "v=DMARC1; p=" + policy + ";";
        if (!string.IsNullOrEmpty(reportAddress))
        {
            var uri = reportAddress.StartsWith("mailto:", System.StringComparison.OrdinalIgnoreCase) ? reportAddress : "mailto:" + reportAddress;
            value += " rua=" + uri + ";";
        }
        return new DnsRecord("_dmarc." + domain, "TXT", value, ttl, null, "DMARC policy");
    }
}
