using System;
using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.DmarcReports;

/// <summary>
/// What precedes the records of a report (version, report_metadata, policy_published): read first,
/// then carried by the report object and by every row.
/// </summary>
internal sealed class DmarcReportHeader
{
    public DmarcReportHeader(string source, ReportSchema schema, string orgName, string email, string extraContactInfo, string reportId,
        DateTime begin, DateTime end, IReadOnlyList<string> errors, string generator, PolicyPublished policyPublished)
    {
        Source = source;
        Schema = schema;
        OrgName = orgName;
        Email = email;
        ExtraContactInfo = extraContactInfo;
        ReportId = reportId;
        Begin = begin;
        End = end;
        Errors = ReadOnlyArray.From(errors);
        Generator = generator;
        PolicyPublished = policyPublished;
    }

    public string Source { get; }
    public ReportSchema Schema { get; }
    public string OrgName { get; }
    public string Email { get; }
    public string ExtraContactInfo { get; }
    public string ReportId { get; }
    public DateTime Begin { get; }
    public DateTime End { get; }
    public IReadOnlyList<string> Errors { get; }
    public string Generator { get; }
    public PolicyPublished PolicyPublished { get; }
}
