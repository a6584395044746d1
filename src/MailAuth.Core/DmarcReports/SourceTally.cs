using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAuth.DmarcReports;

/// <summary>
/// The counts aggregate-report records add up to for one sending source: messages by DMARC result and by aligned
/// identifier (RFC 9989 §4.4), the domains seen, the override reasons, the sender-requirement verdicts and the days
/// the reports cover. The one tally that <see cref="DmarcReportSummarizer"/> and the policy-impact analysis share;
/// tallies of several addresses merge into the tally of a source that sends from all of them.
/// </summary>
internal sealed class SourceTally
{
    /// <summary>Override types with which a receiver says it recognized indirect mail and would deliver it whatever the policy (RFC 9990 PolicyOverrideType).</summary>
    private static readonly HashSet<string> IndirectFlowOverrides = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "forwarded", "trusted_forwarder", "mailing_list" };

    public SourceTally(string sourceIP) => SourceIP = sourceIP;

    public string SourceIP { get; }

    public long Records, Messages, Pass, Fail, Both, DkimOnly, SpfOnly, Neither, SpfPassNotAligned, DkimPassNotAligned, SenderRequirementFailed;

    /// <summary>Failing messages the receiver delivered because it recognized forwarding or a mailing list.</summary>
    public long FailForwarded;

    /// <summary>Failing messages with a passing SPF or DKIM result for some domain (an authenticated sender, not aligned).</summary>
    public long FailAuthenticatedElsewhere;

    public DateTime? FirstSeen, LastSeen;
    public readonly Dictionary<string, long> SenderRequirements = new Dictionary<string, long>(StringComparer.Ordinal);
    public readonly Dictionary<string, long> Overrides = new Dictionary<string, long>(StringComparer.Ordinal);
    public readonly Dictionary<string, long> HeaderFrom = new Dictionary<string, long>();
    public readonly Dictionary<string, long> EnvelopeFrom = new Dictionary<string, long>();
    public readonly Dictionary<string, long> DkimDomains = new Dictionary<string, long>();
    public readonly HashSet<string> Reporters = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
    public readonly HashSet<DateTime> Days = new HashSet<DateTime>();

    /// <summary>Adds one record of a report that covers <paramref name="begin"/> to <paramref name="end"/> (UTC).</summary>
    public void Add(DmarcReportRecord record, string reporter, DateTime begin, DateTime end)
    {
        long n = record.Count;
        Records++;
        Messages += n;
        bool dkim = record.DkimPolicyResult == ReportDmarcResult.Pass;
        bool spf = record.SpfPolicyResult == ReportDmarcResult.Pass;
        bool spfPassed = record.SpfResults.Any(s => s.Result == ReportSpfResult.Pass);
        bool dkimPassed = record.DkimResults.Any(d => d.Result == ReportDkimResult.Pass);
        if (dkim || spf) Pass += n; else Fail += n;
        if (dkim && spf) Both += n;
        else if (dkim) DkimOnly += n;
        else if (spf) SpfOnly += n;
        else Neither += n;
        if (!spf && spfPassed) SpfPassNotAligned += n;
        if (!dkim && dkimPassed) DkimPassNotAligned += n;
        if (!dkim && !spf)
        {
            if (spfPassed || dkimPassed) FailAuthenticatedElsewhere += n;
            if (record.Reasons.Any(r => r.Type != null && IndirectFlowOverrides.Contains(r.Type))) FailForwarded += n;
        }
        Count(HeaderFrom, record.HeaderFrom, n);
        Count(EnvelopeFrom, record.EnvelopeFrom ?? record.SpfResults.FirstOrDefault(s => s.Scope != "helo")?.Domain, n);
        foreach (var d in record.DkimResults) Count(DkimDomains, d.Domain, n);
        if (!string.IsNullOrEmpty(reporter)) Reporters.Add(reporter);
        foreach (var type in record.Reasons.Select(r => r.Type).Where(t => !string.IsNullOrEmpty(t)).Distinct(StringComparer.OrdinalIgnoreCase))
            Count(Overrides, type, n);
        foreach (var reason in record.Reasons)
        {
            var verdict = SenderRequirementVerdict.Read(reason.Comment);
            if (verdict == null) continue;
            var key = verdict.Code + " " + verdict.Requirement;
            SenderRequirements.TryGetValue(key, out var c);
            SenderRequirements[key] = c + n;
            SenderRequirementFailed += n;
            break;
        }
        if (begin != default)
        {
            if (FirstSeen == null || begin < FirstSeen) FirstSeen = begin;
            if (LastSeen == null || end > LastSeen) LastSeen = end;
            foreach (var day in CoveredDays(begin, end)) Days.Add(day);
        }
    }

    /// <summary>Adds another source's counts to this one.</summary>
    public void Merge(SourceTally other)
    {
        Records += other.Records; Messages += other.Messages; Pass += other.Pass; Fail += other.Fail; Both += other.Both;
        DkimOnly += other.DkimOnly; SpfOnly += other.SpfOnly; Neither += other.Neither; SpfPassNotAligned += other.SpfPassNotAligned;
        DkimPassNotAligned += other.DkimPassNotAligned; SenderRequirementFailed += other.SenderRequirementFailed;
        FailForwarded += other.FailForwarded; FailAuthenticatedElsewhere += other.FailAuthenticatedElsewhere;
        if (other.FirstSeen != null && (FirstSeen == null || other.FirstSeen < FirstSeen)) FirstSeen = other.FirstSeen;
        if (other.LastSeen != null && (LastSeen == null || other.LastSeen > LastSeen)) LastSeen = other.LastSeen;
        foreach (var kv in other.SenderRequirements) Count(SenderRequirements, kv.Key, kv.Value, lower: false);
        foreach (var kv in other.Overrides) Count(Overrides, kv.Key, kv.Value);
        foreach (var kv in other.HeaderFrom) Count(HeaderFrom, kv.Key, kv.Value);
        foreach (var kv in other.EnvelopeFrom) Count(EnvelopeFrom, kv.Key, kv.Value);
        foreach (var kv in other.DkimDomains) Count(DkimDomains, kv.Key, kv.Value);
        Reporters.UnionWith(other.Reporters);
        Days.UnionWith(other.Days);
    }

    /// <summary>The UTC calendar days a report period touches (its end is the last second it covers, or the next midnight).</summary>
    public static IEnumerable<DateTime> CoveredDays(DateTime begin, DateTime end)
    {
        var last = (end > begin ? end.AddSeconds(-1) : begin).Date;
        // A malformed period of years is bounded: reports cover a day or a week.
        if ((last - begin.Date).TotalDays > 366) last = begin.Date.AddDays(366);
        for (var day = begin.Date; day <= last; day = day.AddDays(1)) yield return day;
    }

    /// <summary>Keys by count, most messages first.</summary>
    public static IReadOnlyList<string> Ranked(Dictionary<string, long> counts) =>
        counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToList();

    /// <summary>"key: count" items, most messages first.</summary>
    public static IReadOnlyList<string> Counted(Dictionary<string, long> counts) =>
        counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key + ": " + kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>The most frequent key, or null.</summary>
    public static string Top(Dictionary<string, long> counts) => counts.Count == 0 ? null : Ranked(counts)[0];

    private static void Count(Dictionary<string, long> counts, string key, long n, bool lower = true)
    {
        if (string.IsNullOrEmpty(key)) return;
        if (lower) key = key.ToLowerInvariant();
        counts.TryGetValue(key, out var c);
        counts[key] = c + n;
    }
}
