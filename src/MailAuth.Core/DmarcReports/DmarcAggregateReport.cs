using System;
using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.DmarcReports;

/// <summary>
/// A DMARC aggregate report (RFC 9990; also the older RFC 7489 Appendix C schema): who sent it, for which
/// period, the policy it found, and its records.
/// </summary>
public sealed class DmarcAggregateReport
{
    internal DmarcAggregateReport(DmarcReportHeader header, IReadOnlyList<DmarcReportRecord> records)
    {
        Header = header;
        Records = ReadOnlyArray.From(records);
        long total = 0;
        foreach (var r in Records) total += r.Count;
        MessageCount = total;
    }

    internal DmarcReportHeader Header { get; }

    /// <summary>The file the report was read from; for an archive or a message, "file!entry".</summary>
    public string Source => Header.Source;
    public ReportSchema Schema => Header.Schema;
    public string OrgName => Header.OrgName;
    public string Email => Header.Email;
    public string ExtraContactInfo => Header.ExtraContactInfo;
    public string ReportId => Header.ReportId;

    /// <summary>The start of the reporting period, UTC.</summary>
    public DateTime Begin => Header.Begin;

    /// <summary>The end of the reporting period, UTC.</summary>
    public DateTime End => Header.End;

    /// <summary>Errors the receiver met while processing the policy (report_metadata/error).</summary>
    public IReadOnlyList<string> Errors => Header.Errors;

    /// <summary>The software that wrote the report (report_metadata/generator, RFC 9990).</summary>
    public string Generator => Header.Generator;

    public PolicyPublished PolicyPublished => Header.PolicyPublished;

    /// <summary>The domain of the published policy (policy_published/domain).</summary>
    public string PolicyDomain => Header.PolicyPublished?.Domain;

    public IReadOnlyList<DmarcReportRecord> Records { get; }

    /// <summary>The total of the records' message counts.</summary>
    public long MessageCount { get; }

    /// <summary>One flat row per record, each carrying the report's metadata (what Import-DmarcReport -Expand writes).</summary>
    public IEnumerable<DmarcReportRow> GetRows()
    {
        foreach (var record in Records) yield return new DmarcReportRow(Header, record);
    }

    public override string ToString() => $"{OrgName} {ReportId} {PolicyDomain}";
}
