using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.DmarcReports;

/// <summary>
/// Sums aggregate-report records per source IP: messages by DMARC result and by aligned identifier
/// (RFC 9989 §4.4), optionally with each source's reverse-DNS name and its organizational
/// domain, and puts the sources that fail alignment first. Memory grows with the number of distinct
/// sources, not with the number of records.
/// </summary>
public sealed class DmarcReportSummarizer
{
    private readonly Dictionary<string, SourceTally> _tallies = new Dictionary<string, SourceTally>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds every record of a report.</summary>
    public void Add(DmarcAggregateReport report)
    {
        if (report == null) throw new ArgumentNullException(nameof(report));
        foreach (var record in report.Records) Add(record, report.OrgName, report.Begin, report.End);
    }

    /// <summary>Adds the record of one row (from Import-DmarcReport -Expand).</summary>
    public void Add(DmarcReportRow row)
    {
        if (row == null) throw new ArgumentNullException(nameof(row));
        Add(row.Record, row.OrgName, row.Begin, row.End);
    }

    private void Add(DmarcReportRecord record, string reporter, DateTime begin, DateTime end)
    {
        if (!_tallies.TryGetValue(record.SourceIP, out var t))
            _tallies.Add(record.SourceIP, t = new SourceTally(record.SourceIP));
        t.Add(record, reporter, begin, end);
    }

    /// <summary>
    /// One summary per source, failing sources first (most failing messages first), then by volume.
    /// With a resolver, each source's PTR name is looked up (NotFound and Error kept apart).
    /// </summary>
    public async Task<IReadOnlyList<DmarcSourceSummary>> SummarizeAsync(IDnsResolver resolver = null, int maxConcurrency = 16,
        CancellationToken cancellationToken = default)
    {
        var tallies = _tallies.Values.ToList();
        var hosts = resolver == null ? new Dictionary<string, SourceHost>()
            : await SourceHost.LookUpAllAsync(resolver, tallies.Select(t => t.SourceIP), maxConcurrency, cancellationToken).ConfigureAwait(false);

        return tallies
            .OrderByDescending(t => t.Fail)
            .ThenByDescending(t => t.Messages)
            .ThenBy(t => t.SourceIP, StringComparer.Ordinal)
            .Select(t =>
            {
                hosts.TryGetValue(t.SourceIP, out var h);
                return new DmarcSourceSummary(sourceIP: t.SourceIP, hostName: h?.Name, hostStatus: h?.Status,
                    hostErrorKind: h?.ErrorKind ?? DnsErrorKind.None,
                    hostOrganizationalDomain: h?.OrganizationalDomain,
                    messageCount: t.Messages, dmarcPass: t.Pass, dmarcFail: t.Fail, bothAligned: t.Both, dkimAlignedOnly: t.DkimOnly,
                    spfAlignedOnly: t.SpfOnly, neitherAligned: t.Neither, spfPassNotAligned: t.SpfPassNotAligned,
                    dkimPassNotAligned: t.DkimPassNotAligned,
                    headerFrom: SourceTally.Ranked(t.HeaderFrom), envelopeFrom: SourceTally.Ranked(t.EnvelopeFrom), dkimDomains: SourceTally.Ranked(t.DkimDomains),
                    reporters: t.Reporters.OrderBy(r => r, StringComparer.OrdinalIgnoreCase).ToList(),
                    recordCount: t.Records, diagnosis: Diagnose(t),
                    senderRequirementFailures: SourceTally.Counted(t.SenderRequirements),
                    senderRequirementFailed: t.SenderRequirementFailed);
            })
            .ToList();
    }

    private static string Diagnose(SourceTally t)
    {
        var from = t.HeaderFrom.OrderByDescending(kv => kv.Value).Select(kv => kv.Key).FirstOrDefault() ?? "the From domain";
        if (t.Fail == 0)
        {
            if (t.Both == t.Messages) return "Passes DMARC with both DKIM and SPF aligned.";
            if (t.DkimOnly + t.Both == t.Messages)
                return $"Passes DMARC through DKIM; SPF is not aligned with {from}, so a forwarded or re-signed message has no second chance (RFC 9989 §4.4.2).";
            return $"Passes DMARC through SPF only; sign with DKIM (d={from}) so that forwarding does not break DMARC (RFC 9989 §4.4.1).";
        }
        var envelope = t.EnvelopeFrom.OrderByDescending(kv => kv.Value).Select(kv => kv.Key).FirstOrDefault();
        var dkimDomain = t.DkimDomains.OrderByDescending(kv => kv.Value).Select(kv => kv.Key).FirstOrDefault();
        var parts = new List<string>();
        if (t.SpfPassNotAligned > 0)
            parts.Add($"{t.SpfPassNotAligned:N0} message(s) pass SPF for {envelope ?? "the envelope domain"}, which is not aligned with {from}: the sender uses its own bounce (MAIL FROM) domain. Set a custom MAIL FROM domain under {from} (e.g. Amazon SES custom MAIL FROM), RFC 9989 §4.4.2.");
        if (t.DkimPassNotAligned > 0)
            parts.Add($"{t.DkimPassNotAligned:N0} message(s) carry a passing DKIM signature of {dkimDomain ?? "another domain"}, not aligned with {from}: have the sender sign with d={from} (publish its selector's key under {from}), RFC 9989 §4.4.1.");
        if (parts.Count == 0)
            parts.Add($"{t.Fail:N0} message(s) pass neither SPF nor DKIM for {from}: if this source is yours, authorize it (SPF include and DKIM key); if not, it is spoofing your domain and p=quarantine or p=reject stops it (RFC 9989 §4.7).");
        if (t.SenderRequirementFailed > 0)
            parts.Add($"{t.SenderRequirementFailed:N0} message(s) failed a sender requirement by the reporter's own account ({string.Join(", ", t.SenderRequirements.Keys)}): Gmail defers or rejects such mail whatever the DMARC policy says.");
        return string.Join(" ", parts);
    }
}
