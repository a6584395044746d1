using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dmarc;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Ses;

/// <summary>
/// The complete set of records an SES sending domain needs (what Get-SesDnsRecord writes): the
/// Easy DKIM CNAMEs, the custom MAIL FROM MX and SPF TXT, and a DMARC TXT record (DmarcRecordBuilder, as New-DmarcRecord) — the table the
/// seeds' users hand to whoever runs their DNS.
/// </summary>
public static class SesDnsRecordTable
{
    /// <summary>ErrorId for a DMARC policy other than none, quarantine or reject.</summary>
    public const string InvalidDmarcPolicyErrorId = "SesInvalidDmarcPolicy";

    /// <summary>
    /// Builds every record, validating all input first (nothing is returned half-built).
    /// <paramref name="mailFromDomain"/> null: no MAIL FROM records. <paramref name="dmarcPolicy"/> null: no DMARC record.
    /// </summary>
    public static IReadOnlyList<DnsRecord> Build(string identity, IEnumerable<string> tokens, string region,
        string mailFromDomain = null, string signingHostedZone = null, string dmarcPolicy = "none", string dmarcReportAddress = null,
        int ttl = SesMailFromConfigBuilder.DefaultTtl)
    {
        var domain = SesIdentityName.Domain(identity);
        var records = new List<DnsRecord>();
        if (tokens != null && tokens.Any())
            records.AddRange(SesDkimRecordBuilder.EasyDkim(domain, tokens, region, signingHostedZone, ttl));
        if (!string.IsNullOrWhiteSpace(mailFromDomain))
            records.AddRange(SesMailFromConfigBuilder.Build(domain, mailFromDomain, region, SesBehaviorOnMxFailure.UseDefaultValue, null, ttl).Records);
        if (dmarcPolicy != null)
        {
            if (!Enum.TryParse<DmarcPolicy>(dmarcPolicy.Trim(), true, out var policy) || !Enum.IsDefined(typeof(DmarcPolicy), policy))
                throw new MailAuthInputException(InvalidDmarcPolicyErrorId, $"'{dmarcPolicy}' is not a DMARC policy: use none, quarantine or reject (RFC 9989 §4.7).", dmarcPolicy);
            var builder = new DmarcRecordBuilder { Domain = domain, Policy = policy, Ttl = ttl };
            if (!string.IsNullOrWhiteSpace(dmarcReportAddress))
                builder.ReportUri.Add(dmarcReportAddress.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? dmarcReportAddress : "mailto:" + dmarcReportAddress);
            records.Add(builder.Build(out _));
        }
        return records;
    }
}
