using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MailAuth.DmarcRollout;

namespace MailAuth.ReportPage;

/// <summary>
/// One self-contained HTML page of what the DMARC aggregate reports say, per domain: the DMARC pass rate over time,
/// the volume by source with pass and fail, the sources that hold back enforcement, and Google's sender-requirement
/// failures, each chart (inline SVG) with its table beside it. No script, font or style is fetched: the page works
/// offline and in viewers that block scripts. Every value from a report is HTML-encoded.
/// </summary>
public static class DmarcReportPage
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>How many sources the volume chart draws; the table lists them all.</summary>
    public const int ChartedSources = 15;

    private const string Style = @"
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px;color:#1b1f23;background:#fff}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:2em}h3{font-size:1.05em;margin:1.2em 0 .4em}
.verdict{display:inline-block;padding:2px 8px;border-radius:10px;font-weight:600;color:#fff}
.Ready{background:#1a7f37}.FixFirst{background:#cf222e}.NotEnoughEvidence{background:#9a6700}.Unauthenticated{background:#6e7781}
.pair{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
code{background:#f6f8fa;padding:1px 4px;border-radius:4px}
svg{max-width:100%;height:auto;font-size:11px}
svg .grid{stroke:#d0d7de;stroke-width:1}svg .axis{fill:#57606a}svg .label{fill:#1b1f23}
svg polyline.rate{fill:none;stroke:#0969da;stroke-width:2}svg circle.rate{fill:#0969da}
svg .good{fill:#2da44e}svg .bad{fill:#cf222e}
.none{color:#57606a;font-style:italic}
@media print{.pair{display:block}}";

    /// <summary>The page for the recommendations of <see cref="DmarcPolicyImpactAnalyzer"/>.</summary>
    public static string Render(IReadOnlyList<DmarcPolicyRecommendation> plans, string title, DateTime generatedUtc)
    {
        if (plans == null) throw new ArgumentNullException(nameof(plans));
        title = string.IsNullOrWhiteSpace(title) ? "DMARC aggregate reports" : title;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        // Nothing may load from elsewhere, even if a value slipped through: the policy forbids it.
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
        html.Append("<title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n");
        html.Append("<p>Made by MailAuth on ").Append(generatedUtc.ToString("yyyy-MM-dd HH:mm", Invariant)).Append(" UTC from ")
            .Append(plans.Sum(p => p.Messages).ToString("N0", Invariant)).Append(" message(s) in the reports of ")
            .Append(plans.Count.ToString(Invariant)).Append(" domain(s).</p>\n");
        if (plans.Count == 0) html.Append("<p class=\"none\">No report in the window.</p>\n");
        foreach (var plan in plans) Domain(html, plan);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Domain(StringBuilder html, DmarcPolicyRecommendation plan)
    {
        html.Append("<section><h2>").Append(E(plan.Domain)).Append(" <span class=\"verdict ").Append(plan.Verdict).Append("\">")
            .Append(plan.Verdict).Append("</span></h2>\n");
        html.Append("<p>Heading for <code>p=").Append(plan.Policy.ToString().ToLowerInvariant()).Append("</code>. Published now: <code>")
            .Append(E(plan.CurrentRecord ?? "unknown")).Append("</code>; publish next: <code>").Append(E(plan.NextRecord)).Append("</code>. ")
            .Append(N(plan.Messages)).Append(" message(s) over ").Append(plan.DaysOfEvidence.ToString(Invariant)).Append(" day(s)");
        if (plan.FirstSeen != null) html.Append(", ").Append(D(plan.FirstSeen.Value)).Append(" to ").Append(D(plan.LastSeen.Value));
        html.Append(".</p>\n<ul>");
        foreach (var reason in plan.Reasons) html.Append("<li>").Append(E(reason)).Append("</li>");
        html.Append("</ul>\n<p>Following ").Append(E(string.Join(", ", plan.References))).Append(".</p>\n");

        html.Append("<h3>DMARC pass rate over time</h3>\n<div class=\"pair\">");
        var points = plan.Daily.Select(d => new SvgChart.RatePoint(D(d.Date), d.PassRate,
            $"{D(d.Date)}: {d.PassRate.ToString("P1", Invariant)} of {N(d.Messages)}")).ToList();
        html.Append(SvgChart.Rate("DMARC pass rate per day for " + plan.Domain, points));
        Table(html, new[] { "Date (UTC)", "Messages", "Pass", "Fail", "Pass rate" }, new[] { false, true, true, true, true },
            plan.Daily.Select(d => new[] { D(d.Date), N(d.Messages), N(d.DmarcPass), N(d.DmarcFail), d.PassRate.ToString("P1", Invariant) }));
        html.Append("</div>\n");

        html.Append("<h3>Volume by source</h3>\n<div class=\"pair\">");
        var bySize = plan.Sources.OrderByDescending(s => s.Messages).ThenBy(s => s.Source, StringComparer.Ordinal).ToList();
        html.Append(SvgChart.Bars("Messages by source for " + plan.Domain + ", passing and failing DMARC",
            bySize.Take(ChartedSources).Select(s => new SvgChart.Bar(s.Source, s.DmarcPass, s.DmarcFail)).ToList(), "pass", "fail"));
        Table(html, new[] { "Source", "Messages", "Pass", "Fail", "Verdict" }, new[] { false, true, true, true, false },
            bySize.Select(s => new[] { s.Source, N(s.Messages), N(s.DmarcPass), N(s.DmarcFail), s.Verdict.ToString() }));
        html.Append("</div>\n");

        html.Append("<h3>Sources that block enforcement</h3>\n");
        var blocking = plan.Sources.Where(s => s.Verdict == RolloutVerdict.FixFirst).ToList();
        if (blocking.Count == 0)
        {
            html.Append("<p class=\"none\">None: no source of yours would lose mail under the next step.</p>\n");
        }
        else
        {
            html.Append("<div class=\"pair\">");
            html.Append(SvgChart.Bars("Sources to fix for " + plan.Domain,
                blocking.Select(s => new SvgChart.Bar(s.Source, s.AlignedBySpfOnly, s.WouldBeAffected)).ToList(), "pass by SPF only", "would be affected"));
            Table(html, new[] { "Source", "Would be affected", "SPF only", "Addresses", "Fix" }, new[] { false, true, true, false, false },
                blocking.Select(s => new[] { s.Source, N(s.WouldBeAffected), N(s.AlignedBySpfOnly), string.Join(", ", s.SourceIPs), s.Fix }));
            html.Append("</div>\n");
        }

        html.Append("<h3>Google's sender requirements</h3>\n");
        var failures = plan.Sources.SelectMany(s => s.SenderRequirementFailures.Select(f => (Source: s.Source, Failure: Split(f)))).ToList();
        if (failures.Count == 0)
        {
            html.Append("<p class=\"none\">No reporter said a sender requirement failed.</p>\n");
        }
        else
        {
            html.Append("<div class=\"pair\">");
            var byCode = failures.GroupBy(f => f.Failure.Code).Select(g => new SvgChart.Bar(g.Key, 0, g.Sum(f => f.Failure.Messages)))
                .OrderByDescending(b => b.Bad).ToList();
            html.Append(SvgChart.Bars("Messages failing Google's sender requirements for " + plan.Domain, byCode, "", "failed"));
            Table(html, new[] { "Source", "Status", "Messages" }, new[] { false, false, true },
                failures.Select(f => new[] { f.Source, f.Failure.Code, N(f.Failure.Messages) }));
            html.Append("</div>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>"550-5.7.30 Dkim: 12" into its code and count.</summary>
    private static (string Code, long Messages) Split(string failure)
    {
        var colon = failure.LastIndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 || !long.TryParse(failure.Substring(colon + 2), NumberStyles.Integer, Invariant, out var n)) return (failure, 0);
        return (failure.Substring(0, colon), n);
    }

    private static void Table(StringBuilder html, string[] headers, bool[] numeric, IEnumerable<string[]> rows)
    {
        html.Append("<table><thead><tr>");
        foreach (var h in headers) html.Append("<th>").Append(E(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (int i = 0; i < row.Length; i++) html.Append(numeric[i] ? "<td class=\"n\">" : "<td>").Append(E(row[i])).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    private static string D(DateTime d) => d.ToString("yyyy-MM-dd", Invariant);
    private static string N(long n) => n.ToString("N0", Invariant);
    private static string E(string text) => SvgChart.E(text);
}
