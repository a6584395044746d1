using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// The DNS Tree Walk of RFC 9989 §4.10: query <c>_dmarc.&lt;domain&gt;</c>; then, for a name of 8 or more
/// labels, jump to its last 7 labels, and otherwise drop one label at a time, down to the TLD. The walk
/// stops at a record with psd=n (at the start too) or psd=y (above the start), and at the first DNS
/// failure, so that a failure is never taken for a missing record. At most 8 queries.
/// </summary>
public static class DmarcTreeWalk
{
    /// <summary>The most queries one walk makes (RFC 9989 §4.10).</summary>
    public const int MaxQueries = 8;

    /// <summary>The names a full walk from <paramref name="domain"/> queries, in order (without the <c>_dmarc.</c> prefix).</summary>
    public static IReadOnlyList<string> Targets(string domain)
    {
        var labels = domain.Split('.');
        var targets = new List<string> { domain };
        int x = labels.Length;
        while (x > 1)
        {
            x = x >= MaxQueries ? MaxQueries - 1 : x - 1;
            targets.Add(string.Join(".", labels, labels.Length - x, x));
        }
        return targets;
    }

    /// <summary>Walks up from <paramref name="domain"/>; <paramref name="first"/> is the answer for the domain itself when already known.</summary>
    internal static async Task<IReadOnlyList<DmarcLookup>> WalkAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken, DmarcLookup first = null)
    {
        var steps = new List<DmarcLookup>();
        var targets = Targets(domain);
        for (int i = 0; i < targets.Count; i++)
        {
            var step = i == 0 && first != null ? first : await DmarcLookup.QueryAsync(resolver, targets[i], cancellationToken).ConfigureAwait(false);
            steps.Add(step);
            if (step.Status == RecordStatus.Error) break;
            // Steps 2 and 6: a single record with psd=y or psd=n stops the walk, at the start too.
            if (step.Status == RecordStatus.Found && step.Record.Psd != DmarcPsd.Unspecified) break;
        }
        return steps;
    }

    /// <summary>
    /// RFC 9989 §4.10.2: the Organizational Domain from the records a walk found, longest name first:
    /// psd=n marks it; psd=y above the start puts it one label below; otherwise the record with the fewest
    /// labels. Null when the walk found no record.
    /// </summary>
    internal static string SelectOrganizationalDomain(string start, IReadOnlyList<DmarcLookup> steps)
    {
        string fewest = null;
        foreach (var step in steps)
        {
            if (step.Status != RecordStatus.Found) continue;
            if (step.Record.Psd == DmarcPsd.No) return step.Domain;
            if (step.Record.Psd == DmarcPsd.Yes && !string.Equals(step.Domain, start, StringComparison.Ordinal))
                return OneLabelBelow(start, step.Domain);
            fewest = step.Domain;
        }
        return fewest;
    }

    /// <summary>The ancestor of <paramref name="name"/> (or the name itself) that has one label more than <paramref name="ancestor"/>.</summary>
    internal static string OneLabelBelow(string name, string ancestor)
    {
        var labels = name.Split('.');
        int count = ancestor.Split('.').Length + 1;
        if (count > labels.Length) return name;
        return string.Join(".", labels, labels.Length - count, count);
    }
}
