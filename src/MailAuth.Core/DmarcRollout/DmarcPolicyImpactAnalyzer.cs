using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.DmarcReports;
using MailAuth.Dns;

namespace MailAuth.DmarcRollout;

/// <summary>
/// Answers, from DMARC aggregate reports, whether a domain can move to quarantine, then reject, and which senders
/// must be fixed first (RFC 9989 §5.1.5, §5.1.6, §7.4). Reports (or their rows) are added one by one and summed per
/// domain and source address with the same tally as <see cref="DmarcReportSummarizer"/>; <see cref="AnalyzeAsync"/>
/// then groups the addresses into sources by their reverse-DNS names, judges each source and recommends each
/// domain's next record. Memory grows with the number of distinct domains, sources and days, not with the reports.
/// </summary>
public sealed class DmarcPolicyImpactAnalyzer
{
    /// <summary>Stable id of the error for a window whose start is after its end.</summary>
    public const string EmptyWindowErrorId = "DmarcPolicyImpactEmptyWindow";

    private readonly Dictionary<string, DomainTally> _domains = new Dictionary<string, DomainTally>(StringComparer.OrdinalIgnoreCase);
    private readonly DateTime? _since;
    private readonly DateTime? _until;

    /// <param name="policy">The policy the domains are heading for.</param>
    /// <param name="since">Only reports whose period begins at or after this time (UTC; an unspecified kind counts as UTC).</param>
    /// <param name="until">Only reports whose period begins at or before this time.</param>
    /// <param name="minimumDays">The days of reports a step needs before the next one (RFC 9989 §7.4: a month at p=none, as long at p=quarantine).</param>
    /// <param name="minimumMessages">The messages the reports must count before a domain is called Ready.</param>
    public DmarcPolicyImpactAnalyzer(EnforcementPolicy policy, DateTime? since = null, DateTime? until = null, int minimumDays = 30, long minimumMessages = 100)
    {
        if (policy != EnforcementPolicy.Quarantine && policy != EnforcementPolicy.Reject) throw new ArgumentOutOfRangeException(nameof(policy));
        if (minimumDays < 0) throw new ArgumentOutOfRangeException(nameof(minimumDays));
        if (minimumMessages < 0) throw new ArgumentOutOfRangeException(nameof(minimumMessages));
        _since = Utc(since);
        _until = Utc(until);
        if (_since != null && _until != null && _since > _until)
            throw new MailAuthInputException(EmptyWindowErrorId, $"The window is empty: -Since {_since:yyyy-MM-dd HH:mm:ss} is after -Until {_until:yyyy-MM-dd HH:mm:ss}.");
        Policy = policy;
        MinimumDays = minimumDays;
        MinimumMessages = minimumMessages;
    }

    public EnforcementPolicy Policy { get; }
    public int MinimumDays { get; }
    public long MinimumMessages { get; }

    /// <summary>Adds every record of a report; false when the report's period begins outside the window.</summary>
    public bool Add(DmarcAggregateReport report)
    {
        if (report == null) throw new ArgumentNullException(nameof(report));
        if (!InWindow(report.Begin)) return false;
        foreach (var record in report.Records) Add(report.Header, record);
        return true;
    }

    /// <summary>Adds the record of one row (from Import-DmarcReport -Expand); false when its report begins outside the window.</summary>
    public bool Add(DmarcReportRow row)
    {
        if (row == null) throw new ArgumentNullException(nameof(row));
        if (!InWindow(row.Begin)) return false;
        Add(row.Header, row.Record);
        return true;
    }

    private bool InWindow(DateTime begin) => (_since == null || begin >= _since) && (_until == null || begin <= _until);

    private static DateTime? Utc(DateTime? value) => value?.Kind == DateTimeKind.Local ? value.Value.ToUniversalTime() : value;

    private void Add(DmarcReportHeader header, DmarcReportRecord record)
    {
        var domain = (header.PolicyPublished?.Domain ?? record.HeaderFrom ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        if (!_domains.TryGetValue(domain, out var d)) _domains.Add(domain, d = new DomainTally(domain));
        d.Add(header, record);
    }

    /// <summary>
    /// One recommendation per domain (in name order), each with its sources. With a resolver, addresses are grouped by
    /// their PTR names' organizations (Amazon SES by region); without, each address is a source of its own.
    /// </summary>
    public async Task<IReadOnlyList<DmarcPolicyRecommendation>> AnalyzeAsync(IDnsResolver resolver = null, int maxConcurrency = 16,
        CancellationToken cancellationToken = default)
    {
        var hosts = resolver == null ? null
            : await SourceHost.LookUpAllAsync(resolver, _domains.Values.SelectMany(d => d.Addresses.Keys), maxConcurrency, cancellationToken).ConfigureAwait(false);
        return _domains.Values.OrderBy(d => d.Domain, StringComparer.Ordinal).Select(d => Recommend(d, hosts)).ToList();
    }

    private DmarcPolicyRecommendation Recommend(DomainTally d, Dictionary<string, SourceHost> hosts)
    {
        var current = d.CurrentStep;
        var step = current ?? PolicyStep.None;
        var target = PolicySteps.Target(Policy);
        int daysAtCurrent = current == null ? d.Days.Count : d.StepDays.TryGetValue(step, out var sd) ? sd.Count : 0;
        long messages = d.Addresses.Values.Sum(t => t.Messages);
        bool enoughEvidence = daysAtCurrent >= MinimumDays && messages >= MinimumMessages;

        var sources = Group(d, hosts).Select(g => Judge(d.Domain, g, enoughEvidence))
            .OrderBy(s => Rank(s.Verdict)).ThenByDescending(s => s.WouldBeAffected).ThenByDescending(s => s.Messages)
            .ThenBy(s => s.Source, StringComparer.Ordinal).ToList();

        var reasons = new List<string>();
        var references = new List<string> { "RFC 9989 §5.1.5", "RFC 9989 §5.1.6", "RFC 9989 §7.4" };
        var toFix = sources.Where(s => s.Verdict == RolloutVerdict.FixFirst).ToList();
        RolloutVerdict verdict;
        var next = step;
        var nextName = PolicySteps.Record(PolicySteps.Next(step) > target ? target : PolicySteps.Next(step));
        if (current == null)
            reasons.Add("No report gives the published policy; taken as p=none.");

        if (toFix.Count > 0)
        {
            verdict = RolloutVerdict.FixFirst;
            reasons.Add($"{Count(toFix.Count, "source")} to fix before {nextName}; fix each, then wait for new reports (RFC 9989 §5.1.6):");
            foreach (var s in toFix.Take(10))
                reasons.Add($"{s.Source}: " + string.Join(", ", new[]
                {
                    s.WouldBeAffected > 0 ? $"{Count(s.WouldBeAffected, "message")} would be {Verb()}" : null,
                    s.AlignedBySpfOnly > 0 ? $"{Count(s.AlignedBySpfOnly, "message")} pass by SPF only" : null,
                    s.SenderRequirementFailed > 0 ? $"{Count(s.SenderRequirementFailed, "message")} fail Gmail's sender requirements" : null,
                }.Where(p => p != null)) + $"; {s.Fix}.");
            if (toFix.Count > 10) reasons.Add($"... and {Count(toFix.Count - 10, "more source")} (the Sources list).");
            if (toFix.Any(s => s.AlignedBySpfOnly > 0 || s.Fix.IndexOf("DKIM", StringComparison.Ordinal) >= 0)) references.Add("RFC 9989 §5.1.2");
            if (toFix.Any(s => s.Fix.IndexOf("MAIL FROM", StringComparison.Ordinal) >= 0)) references.Add("RFC 9989 §5.1.1");
        }
        else if (step >= target)
        {
            verdict = RolloutVerdict.Ready;
            reasons.Add($"Already at {PolicySteps.Record(step)}, and no source of yours loses mail under it.");
        }
        else if (!enoughEvidence)
        {
            verdict = RolloutVerdict.NotEnoughEvidence;
            if (daysAtCurrent < MinimumDays)
                reasons.Add($"{Count(daysAtCurrent, "day")} of reports at {PolicySteps.Record(step)}; wait for at least {MinimumDays} before {nextName} (RFC 9989 §7.4: at least a month at p=none, then as long at p=quarantine).");
            if (messages < MinimumMessages)
                reasons.Add($"{Count(messages, "message")} in the reports; wait for at least {MinimumMessages:N0} so that rare senders (monthly invoices, password resets) show up.");
        }
        else
        {
            verdict = RolloutVerdict.Ready;
            next = PolicySteps.Next(step);
            reasons.Add($"No source of yours would lose mail under {nextName}: {Count(messages, "message")} over {Count(daysAtCurrent, "day")} at {PolicySteps.Record(step)}.");
            if (next == PolicyStep.QuarantineTest || next == PolicyStep.RejectTest)
            {
                reasons.Add("t=y is test mode: receivers apply the next lower policy and keep reporting, so the step shows its effect before it takes it (RFC 9989 §4.7; it replaces pct=).");
                references.Add("RFC 9989 §4.7");
            }
            else
            {
                reasons.Add($"Drop t=y once the reports at {PolicySteps.Record(step)} stay clean.");
            }
        }

        var unauthenticated = sources.Where(s => s.Verdict == RolloutVerdict.Unauthenticated).ToList();
        if (unauthenticated.Count > 0)
            reasons.Add($"{Count(unauthenticated.Sum(s => s.WouldBeAffected), "message")} from {Count(unauthenticated.Count, "source")} authenticate as nobody: spoofing, which p={Policy.ToString().ToLowerInvariant()} stops, or a server of yours with neither SPF nor DKIM; check that none is yours.");

        var daily = d.Daily.OrderBy(kv => kv.Key).Select(kv => new DmarcDailyVolume(kv.Key, kv.Value.Messages, kv.Value.Pass)).ToList();
        return new DmarcPolicyRecommendation(domain: d.Domain, policy: Policy, verdict: verdict,
            currentRecord: current == null ? null : PolicySteps.Record(step), nextRecord: PolicySteps.Record(next), change: next != step || current == null && next != PolicyStep.None,
            messages: messages, dmarcPass: d.Addresses.Values.Sum(t => t.Pass), wouldBeAffected: sources.Sum(s => s.WouldBeAffected),
            alignedBySpfOnly: sources.Sum(s => s.AlignedBySpfOnly), senderRequirementFailed: sources.Sum(s => s.SenderRequirementFailed),
            sourcesToFix: toFix.Count, firstSeen: d.FirstSeen, lastSeen: d.LastSeen, daysOfEvidence: d.Days.Count, daysAtCurrentPolicy: daysAtCurrent,
            reasons: reasons, references: references.Distinct().ToList(), sources: sources, daily: daily);
    }

    private static int Rank(RolloutVerdict v) =>
        v == RolloutVerdict.FixFirst ? 0 : v == RolloutVerdict.Unauthenticated ? 1 : v == RolloutVerdict.NotEnoughEvidence ? 2 : 3;

    private string Verb() => Policy == EnforcementPolicy.Reject ? "rejected" : "quarantined";

    private static string Count(long n, string noun) => n.ToString("N0", CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    /// <summary>The addresses of one domain grouped into sources by the organization their PTR names belong to.</summary>
    private static IEnumerable<SourceGroup> Group(DomainTally d, Dictionary<string, SourceHost> hosts)
    {
        var groups = new Dictionary<string, SourceGroup>(StringComparer.OrdinalIgnoreCase);
        foreach (var kv in d.Addresses.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            SourceHost host = null;
            hosts?.TryGetValue(kv.Key, out host);
            string key = kv.Key, region = null;
            if (host?.Status == RecordStatus.Found)
            {
                region = SesRegion.FromHostName(host.Name);
                key = region != null ? "amazonses.com (" + region + ")" : host.OrganizationalDomain ?? host.Name;
            }
            if (!groups.TryGetValue(key, out var g))
                groups.Add(key, g = new SourceGroup(key, region, hosts == null ? (RecordStatus?)null : host?.Status ?? RecordStatus.Error));
            g.Tally.Merge(kv.Value);
            g.Addresses.Add(kv.Key);
            if (host?.Name != null && !g.HostNames.Contains(host.Name)) g.HostNames.Add(host.Name);
        }
        return groups.Values;
    }

    private DmarcSourceImpact Judge(string domain, SourceGroup g, bool enoughEvidence)
    {
        var t = g.Tally;
        long affected = t.Fail - t.FailForwarded;
        long byDkim = t.Both + t.DkimOnly;
        var from = SourceTally.Top(t.HeaderFrom) ?? domain;
        RolloutVerdict verdict;
        var fixes = new List<string>();
        if (affected > 0 && t.Pass == 0 && t.FailAuthenticatedElsewhere == 0)
        {
            verdict = RolloutVerdict.Unauthenticated;
            fixes.Add($"passes neither SPF nor DKIM for any domain: if it sends for you, authorize it for {from} (SPF and DKIM); if not, it is spoofing, which p={Policy.ToString().ToLowerInvariant()} stops");
        }
        else if (affected > 0 || t.SpfOnly > 0 || t.SenderRequirementFailed > 0)
        {
            verdict = RolloutVerdict.FixFirst;
            if (affected > 0)
            {
                if (t.DkimPassNotAligned > 0 || byDkim == 0)
                    fixes.Add($"sign with d={from} (DKIM aligned with the From domain)" + (g.SesRegion == null ? "" : $", e.g. SES Easy DKIM for {from} in {g.SesRegion}"));
                if (t.SpfPassNotAligned > 0)
                    fixes.Add($"set a custom MAIL FROM under {from} so SPF aligns" + (g.SesRegion == null ? "" : $" (Set-SesMailFromDomain -Identity {from} -MailFromDomain mail.{from} -Region {g.SesRegion})"));
                if (t.FailAuthenticatedElsewhere == 0)
                    fixes.Add($"authorize it for {from}: include it in SPF and sign with d={from}");
            }
            if (t.SpfOnly > 0) fixes.Add($"sign with DKIM (d={from}): SPF alone breaks on forwarding");
            foreach (var key in SourceTally.Ranked(t.SenderRequirements))
                fixes.Add(SenderRequirementFix(key, from));
        }
        else
        {
            verdict = enoughEvidence ? RolloutVerdict.Ready : RolloutVerdict.NotEnoughEvidence;
        }
        return new DmarcSourceImpact(domain: domain, policy: Policy, source: g.Key, sesRegion: g.SesRegion, hostStatus: g.HostStatus,
            sourceIPs: g.Addresses, hostNames: g.HostNames, messages: t.Messages, dmarcPass: t.Pass, dmarcFail: t.Fail, wouldBeAffected: affected,
            alignedBySpfOnly: t.SpfOnly, alignedByDkim: byDkim, overrides: SourceTally.Counted(t.Overrides), firstSeen: t.FirstSeen, lastSeen: t.LastSeen,
            daysOfEvidence: t.Days.Count, senderRequirementFailures: SourceTally.Counted(t.SenderRequirements), senderRequirementFailed: t.SenderRequirementFailed,
            verdict: verdict, fix: fixes.Count == 0 ? null : string.Join("; ", fixes.Distinct()), headerFrom: SourceTally.Ranked(t.HeaderFrom));
    }

    /// <summary>What to change for a sender requirement Google's reports say failed ("550-5.7.30 Dkim").</summary>
    private static string SenderRequirementFix(string key, string from)
    {
        var space = key.IndexOf(' ');
        var code = space < 0 ? key : key.Substring(0, space);
        var requirement = space < 0 ? "Other" : key.Substring(space + 1);
        switch (requirement)
        {
            case "Dkim": return $"sign every message with DKIM (d={from}): Gmail says {code}";
            case "Spf": return $"make SPF pass for the MAIL FROM domain: Gmail says {code}";
            case "Alignment": return $"align SPF or DKIM with {from}: Gmail says {code}";
            case "Tls": return $"send over TLS: Gmail says {code}";
            case "ReverseDns": return $"give the sending address a PTR name that resolves back to it: Gmail says {code}";
            default: return $"read the reporter's comment: Gmail says {code}";
        }
    }

    private sealed class SourceGroup
    {
        public SourceGroup(string key, string sesRegion, RecordStatus? hostStatus)
        {
            Key = key;
            SesRegion = sesRegion;
            HostStatus = hostStatus;
        }

        public string Key { get; }
        public string SesRegion { get; }
        public RecordStatus? HostStatus { get; }
        public SourceTally Tally { get; } = new SourceTally(null);
        public List<string> Addresses { get; } = new List<string>();
        public List<string> HostNames { get; } = new List<string>();
    }

    /// <summary>One domain's tallies per address, the days its reports cover, the policy each report found, and the daily volume.</summary>
    private sealed class DomainTally
    {
        public DomainTally(string domain) => Domain = domain;

        public string Domain { get; }
        public readonly Dictionary<string, SourceTally> Addresses = new Dictionary<string, SourceTally>(StringComparer.OrdinalIgnoreCase);
        public readonly HashSet<DateTime> Days = new HashSet<DateTime>();
        public readonly Dictionary<PolicyStep, HashSet<DateTime>> StepDays = new Dictionary<PolicyStep, HashSet<DateTime>>();
        public readonly SortedDictionary<DateTime, (long Messages, long Pass)> Daily = new SortedDictionary<DateTime, (long, long)>();
        public DateTime? FirstSeen, LastSeen;
        private DateTime _latestEnd;
        public PolicyStep? CurrentStep { get; private set; }

        public void Add(DmarcReportHeader header, DmarcReportRecord record)
        {
            if (!Addresses.TryGetValue(record.SourceIP, out var t)) Addresses.Add(record.SourceIP, t = new SourceTally(record.SourceIP));
            t.Add(record, header.OrgName, header.Begin, header.End);
            if (FirstSeen == null || header.Begin < FirstSeen) FirstSeen = header.Begin;
            if (LastSeen == null || header.End > LastSeen) LastSeen = header.End;
            var step = PolicySteps.Of(header.PolicyPublished);
            foreach (var day in SourceTally.CoveredDays(header.Begin, header.End))
            {
                Days.Add(day);
                if (step == null) continue;
                if (!StepDays.TryGetValue(step.Value, out var days)) StepDays.Add(step.Value, days = new HashSet<DateTime>());
                days.Add(day);
            }
            // The latest report says what is published now; of reports that end together, the lower step (a receiver's older copy) wins.
            if (step != null && (CurrentStep == null || header.End > _latestEnd || header.End == _latestEnd && step < CurrentStep))
            {
                _latestEnd = header.End;
                CurrentStep = step;
            }
            Daily.TryGetValue(header.Begin.Date, out var v);
            Daily[header.Begin.Date] = (v.Messages + record.Count, v.Pass + (record.DmarcResult == ReportDmarcResult.Pass ? record.Count : 0));
        }
    }
}
