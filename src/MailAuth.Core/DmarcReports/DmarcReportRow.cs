using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAuth.DmarcReports;

/// <summary>
/// One record of an aggregate report with the report's metadata on it, every property a plain value
/// so that rows go straight into Group-Object, Where-Object and Export-Csv. Several DKIM or SPF
/// results of one record are joined with "; " in the same order in each column.
/// </summary>
public sealed class DmarcReportRow
{
    internal const string Separator = "; ";

    internal DmarcReportRow(DmarcReportHeader header, DmarcReportRecord record)
    {
        Record = record;
        Header = header;
        Source = header.Source;
        OrgName = header.OrgName;
        ReportId = header.ReportId;
        Begin = header.Begin;
        End = header.End;
        PolicyDomain = header.PolicyPublished?.Domain;
        PublishedPolicy = header.PolicyPublished?.P;
        SourceIP = record.SourceIP;
        Count = record.Count;
        Disposition = record.Disposition;
        DmarcResult = record.DmarcResult;
        DkimPolicyResult = record.DkimPolicyResult;
        SpfPolicyResult = record.SpfPolicyResult;
        HeaderFrom = record.HeaderFrom;
        EnvelopeFrom = record.EnvelopeFrom;
        EnvelopeTo = record.EnvelopeTo;
        var dkim = record.DkimResults;
        DkimDomain = Join(dkim, d => d.Domain);
        DkimSelector = Join(dkim, d => d.Selector);
        DkimResult = Join(dkim, d => ResultName(d.Result));
        var spf = record.SpfResults;
        SpfDomain = Join(spf, s => s.Domain);
        SpfScope = Join(spf, s => s.Scope);
        SpfResult = Join(spf, s => ResultName(s.Result));
        OverrideReason = Join(record.Reasons, r => r.Type);
        OverrideComment = Join(record.Reasons, r => r.Comment);
        foreach (var reason in record.Reasons)
        {
            var verdict = SenderRequirementVerdict.Read(reason.Comment);
            if (verdict == null) continue;
            SenderRequirementCode = verdict.Code;
            SenderRequirement = verdict.Requirement;
            SenderRequirementMeaning = verdict.Meaning;
            break;
        }
    }

    internal DmarcReportRecord Record { get; }

    /// <summary>The report's metadata and published policy, which the policy-impact analysis needs whole (t=, pct=).</summary>
    internal DmarcReportHeader Header { get; }

    /// <summary>The file (or "file!entry") the row was read from.</summary>
    public string Source { get; }
    public string OrgName { get; }
    public string ReportId { get; }

    /// <summary>The start of the reporting period, UTC.</summary>
    public DateTime Begin { get; }

    /// <summary>The end of the reporting period, UTC.</summary>
    public DateTime End { get; }

    /// <summary>The domain of the published policy.</summary>
    public string PolicyDomain { get; }

    /// <summary>The published p= policy.</summary>
    public ReportDisposition? PublishedPolicy { get; }

    public string SourceIP { get; }
    public long Count { get; }
    public ReportDisposition Disposition { get; }

    /// <summary>Pass when either aligned mechanism passed (RFC 9989 §5.3.5).</summary>
    public ReportDmarcResult DmarcResult { get; }

    /// <summary>DKIM passed with a signature aligned with the From domain.</summary>
    public ReportDmarcResult DkimPolicyResult { get; }

    /// <summary>SPF passed with a MAIL FROM domain aligned with the From domain.</summary>
    public ReportDmarcResult SpfPolicyResult { get; }

    public string HeaderFrom { get; }
    public string EnvelopeFrom { get; }
    public string EnvelopeTo { get; }

    /// <summary>The d= domains of the DKIM signatures.</summary>
    public string DkimDomain { get; }

    /// <summary>The s= selectors of the DKIM signatures.</summary>
    public string DkimSelector { get; }

    /// <summary>The raw DKIM results (before alignment).</summary>
    public string DkimResult { get; }

    /// <summary>The domain(s) SPF checked.</summary>
    public string SpfDomain { get; }

    /// <summary>"mfrom" or "helo", when reported.</summary>
    public string SpfScope { get; }

    /// <summary>The raw SPF results (before alignment).</summary>
    public string SpfResult { get; }

    /// <summary>The policy override reason types (e.g. "forwarded").</summary>
    public string OverrideReason { get; }

    /// <summary>The receivers' comments on the overrides.</summary>
    public string OverrideComment { get; }

    /// <summary>
    /// The status of the sender requirement Google says this mail failed, from the reason's comment (e.g. "550-5.7.30");
    /// null when the reporter gave none.
    /// </summary>
    public string SenderRequirementCode { get; }

    /// <summary>Which sender requirement failed: Spf, Dkim, Alignment, Tls, ReverseDns or Other.</summary>
    public string SenderRequirement { get; }

    /// <summary>What that requirement is, in a sentence.</summary>
    public string SenderRequirementMeaning { get; }

    private static string Join<T>(IReadOnlyList<T> items, Func<T, string> value)
    {
        if (items.Count == 0) return null;
        if (items.Count == 1) return value(items[0]);
        return string.Join(Separator, items.Select(i => value(i) ?? string.Empty));
    }

    private static readonly string[] DkimNames = Enum.GetNames(typeof(ReportDkimResult));
    private static readonly string[] SpfNames = Enum.GetNames(typeof(ReportSpfResult));

    private static string ResultName(ReportDkimResult r) => DkimNames[(int)r];
    private static string ResultName(ReportSpfResult r) => SpfNames[(int)r];

    public override string ToString() => $"{SourceIP} x{Count} {DmarcResult}";
}
