namespace MailAuth.DmarcReports;

/// <summary>
/// One thing read from a report file: a report, a row (with expand), or the error that stopped one
/// report of the file. A file yields its errors among its results, so the other reports of the file,
/// and the other files, still import.
/// </summary>
public sealed class DmarcReportReadResult
{
    private DmarcReportReadResult(DmarcAggregateReport report, DmarcReportRow row, DmarcReportException error)
    {
        Report = report;
        Row = row;
        Error = error;
    }

    public DmarcAggregateReport Report { get; }
    public DmarcReportRow Row { get; }
    public DmarcReportException Error { get; }

    internal static DmarcReportReadResult ForReport(DmarcAggregateReport report) => new DmarcReportReadResult(report, null, null);
    internal static DmarcReportReadResult ForRow(DmarcReportRow row) => new DmarcReportReadResult(null, row, null);
    internal static DmarcReportReadResult ForError(DmarcReportException error) => new DmarcReportReadResult(null, null, error);
}
