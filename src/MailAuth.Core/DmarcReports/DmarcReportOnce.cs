using System.Collections.Generic;

namespace MailAuth.DmarcReports;

/// <summary>
/// Lets each aggregate report through once in a run (Import-DmarcReport, and Receive-DmarcReport's intake), by its <see cref="DmarcReportIdentity"/>
/// (reporter and report_id, RFC 9990 §3.1.1): the same report read again (the .xml beside the .zip it came in, or a
/// resend) would count its messages twice in every summary. Rows (-Expand) are judged by the report they come from:
/// all rows of one report are let through or held back together.
/// </summary>
public sealed class DmarcReportOnce
{
    private readonly HashSet<DmarcReportIdentity> _seen = new HashSet<DmarcReportIdentity>();
    private DmarcReportHeader _header;
    private bool _admitted;

    /// <summary>True the first time a report with this identity comes; <paramref name="identity"/> says which report it is.</summary>
    public bool Admit(DmarcAggregateReport report, out DmarcReportIdentity identity)
    {
        identity = DmarcReportIdentity.Of(report);
        return _seen.Add(identity);
    }

    /// <summary>Lets a report through again, e.g. when keeping it failed and it stays at its source for the next run.</summary>
    internal void Forget(DmarcReportIdentity identity) => _seen.Remove(identity);

    /// <summary>
    /// True for the rows of a report that came for the first time. <paramref name="identity"/> is set on the first row of
    /// each report read (null on the rows after it), so that a caller can say once which report was held back.
    /// </summary>
    public bool Admit(DmarcReportRow row, out DmarcReportIdentity identity)
    {
        if (ReferenceEquals(row.Header, _header))
        {
            identity = null;
            return _admitted;
        }
        _header = row.Header;
        identity = DmarcReportIdentity.Of(row);
        _admitted = _seen.Add(identity);
        return _admitted;
    }
}
