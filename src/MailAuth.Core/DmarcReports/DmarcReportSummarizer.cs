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
    private readonly Dictionary<string, Tally> _tallies = new Dictionary<string, Tally>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds every record of a report.</summary>
    public void Add(DmarcAggregateReport report)
    {
        if (report == null) throw new ArgumentNullException(nameof(report));
        foreach (var record in report.Records) Add(record, report.OrgName);
    }

    /// <summary>Adds the record of one row (from Import-DmarcReport -Expand).</summary>
    public void Add(DmarcReportRow row)
    {
        if (row == null) throw new ArgumentNullException(nameof(row));
        Add(row.Record, row.OrgName);
    }

    private void Add(DmarcReportRecord record, string reporter)
    {
        if (!_tallies.TryGetValue(record.SourceIP, out var t))
            _tallies.Add(record.SourceIP, t = new Tally(record.SourceIP));
        long n = record.Count;
        t.Records++;
        t.Messages += n;
        bool dkim = record.DkimPolicyResult == ReportDmarcResult.Pass;
        bool spf = record.SpfPolicyResult == ReportDmarcResult.Pass;
        if (dkim || spf) t.Pass += n; else t.Fail += n;
        if (dkim && spf) t.Both += n;
        else if (dkim) t.DkimOnly += n;
        else if (spf) t.SpfOnly += n;
        else t.Neither += n;
        if (!spf && record.SpfResults.Any(s => s.Result == ReportSpfResult.Pass)) t.SpfPassNotAligned += n;
        if (!dkim && record.DkimResults.Any(d => d.Result == ReportDkimResult.Pass)) t.DkimPassNotAligned += n;
        Count(t.HeaderFrom, record.HeaderFrom, n);
        Count(t.EnvelopeFrom, record.EnvelopeFrom ?? record.SpfResults.FirstOrDefault(s => s.Scope != "helo")?.Domain, n);
        foreach (var d in record.DkimResults) Count(t.DkimDomains, d.Domain, n);
        if (!string.IsNullOrEmpty(reporter)) t.Reporters.Add(reporter);
        foreach (var reason in record.Reasons)
        {
            var verdict = SenderRequirementVerdict.Read(reason.Comment);
            if (verdict == null) continue;
            var key = verdict.Code + " " + verdict.Requirement;
            t.SenderRequirements.TryGetValue(key, out var c);
            t.SenderRequirements[key] = c + n;
            t.SenderRequirementFailed += n;
            break;
        }
    }

    private static void Count(Dictionary<string, long> counts, string key, long n)
    {
        if (string.IsNullOrEmpty(key)) return;
        key = key.ToLowerInvariant();
        counts.TryGetValue(key, out var c);
        counts[key] = c + n;
    }

    /// <summary>
    /// One summary per source, failing sources first (most failing messages first), then by volume.
    /// With a resolver, each source's PTR name is looked up (NotFound and Error kept apart).
    /// </summary>
    public async Task<IReadOnlyList<DmarcSourceSummary>> SummarizeAsync(IDnsResolver resolver = null, int maxConcurrency = 16,
        CancellationToken cancellationToken = default)
    {
        var tallies = _tallies.Values.ToList();
        var hosts = new Dictionary<string, HostName>(StringComparer.OrdinalIgnoreCase);
        if (resolver != null)
        {
            using var gate = new SemaphoreSlim(Math.Max(1, maxConcurrency));
            var lookups = tallies.Select(async t =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return (t.SourceIP, Host: await LookUpAsync(resolver, t.SourceIP, cancellationToken).ConfigureAwait(false));
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            foreach (var (ip, host) in await Task.WhenAll(lookups).ConfigureAwait(false)) hosts[ip] = host;
        }

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
                    headerFrom: Ranked(t.HeaderFrom), envelopeFrom: Ranked(t.EnvelopeFrom), dkimDomains: Ranked(t.DkimDomains),
                    reporters: t.Reporters.OrderBy(r => r, StringComparer.OrdinalIgnoreCase).ToList(),
                    recordCount: t.Records, diagnosis: Diagnose(t),
                    senderRequirementFailures: t.SenderRequirements.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                        .Select(kv => kv.Key + ": " + kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
                    senderRequirementFailed: t.SenderRequirementFailed);
            })
            .ToList();
    }

    private static async Task<HostName> LookUpAsync(IDnsResolver resolver, string sourceIP, CancellationToken ct)
    {
        if (!IPAddress.TryParse(sourceIP, out var address))
            return new HostName(null, RecordStatus.Error, DnsErrorKind.None);
        var answer = await resolver.QueryAsync(ReverseDnsName.For(address), DnsRecordType.PTR, ct).ConfigureAwait(false);
        if (answer.IsError) return new HostName(null, RecordStatus.Error, answer.ErrorKind);
        var ptr = answer.Records.Where(r => r.Type == DnsRecordType.PTR && !string.IsNullOrEmpty(r.Target)).Select(r => r.Target).OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault();
        if (ptr == null) return new HostName(null, RecordStatus.NotFound, DnsErrorKind.None);
        ptr = ptr.TrimEnd('.').ToLowerInvariant();
        string organizational = null;
        try
        {
            // The PSL mode asks no DNS: the organization that runs the host, as RFC 7489 §3.2 defines it.
            organizational = (await new OrganizationalDomainFinder(resolver).FindAsync(ptr, DmarcDiscoveryMode.Psl, ct).ConfigureAwait(false)).OrganizationalDomain;
        }
        catch (MailAuthInputException)
        {
            // A PTR target that is not a valid host name has no organizational domain.
        }
        return new HostName(ptr, RecordStatus.Found, DnsErrorKind.None, organizational);
    }

    private static IReadOnlyList<string> Ranked(Dictionary<string, long> counts) =>
        counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToList();

    private static string Diagnose(Tally t)
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

    private sealed class HostName
    {
        public HostName(string name, RecordStatus status, DnsErrorKind errorKind, string organizationalDomain = null)
        {
            Name = name;
            Status = status;
            ErrorKind = errorKind;
            OrganizationalDomain = organizationalDomain;
        }

        public string Name { get; }
        public string OrganizationalDomain { get; }
        public RecordStatus Status { get; }
        public DnsErrorKind ErrorKind { get; }
    }

    private sealed class Tally
    {
        public Tally(string sourceIP) => SourceIP = sourceIP;
        public string SourceIP { get; }
        public long Records, Messages, Pass, Fail, Both, DkimOnly, SpfOnly, Neither, SpfPassNotAligned, DkimPassNotAligned, SenderRequirementFailed;
        public readonly Dictionary<string, long> SenderRequirements = new Dictionary<string, long>(StringComparer.Ordinal);
        public readonly Dictionary<string, long> HeaderFrom = new Dictionary<string, long>();
        public readonly Dictionary<string, long> EnvelopeFrom = new Dictionary<string, long>();
        public readonly Dictionary<string, long> DkimDomains = new Dictionary<string, long>();
        public readonly HashSet<string> Reporters = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    }
}
