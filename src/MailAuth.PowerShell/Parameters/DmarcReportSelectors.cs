using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// The DKIM selectors a domain signs with, read from DMARC aggregate reports (RFC 9990 §3: each record's
/// auth_results carries the d= and s= of every signature seen): Import-DmarcReport's reports (Records, their
/// DkimResults) or its -Expand rows (DkimDomain, DkimSelector, "; "-separated), or the same columns from a CSV.
/// </summary>
internal static class DmarcReportSelectors
{
    private static readonly string[] Separator = { ";" };

    internal static IReadOnlyList<string> For(string domain, IEnumerable<object> reports)
    {
        var selectors = new List<string>();
        foreach (var input in reports ?? Enumerable.Empty<object>())
        {
            var rows = SesInputObject.Member(input, "Records") is IEnumerable records && !(records is string)
                ? records.Cast<object>().SelectMany(r => SesInputObject.Member(r, "DkimResults") is IEnumerable results ? results.Cast<object>() : Enumerable.Empty<object>())
                    .Select(d => (Domain: SesInputObject.String(d, "Domain"), Selector: SesInputObject.String(d, "Selector")))
                : Pairs(SesInputObject.String(input, "DkimDomain"), SesInputObject.String(input, "DkimSelector"));
            foreach (var (d, s) in rows)
                if (d != null && s != null && string.Equals(d.Trim().TrimEnd('.'), domain, StringComparison.OrdinalIgnoreCase)) selectors.Add(s.Trim().ToLowerInvariant());
        }
        return selectors.Distinct().ToList();
    }

    private static IEnumerable<(string, string)> Pairs(string domains, string selectors)
    {
        if (domains == null || selectors == null) yield break;
        var d = domains.Split(Separator, StringSplitOptions.None);
        var s = selectors.Split(Separator, StringSplitOptions.None);
        for (var i = 0; i < Math.Min(d.Length, s.Length); i++) yield return (d[i], s[i]);
    }
}
