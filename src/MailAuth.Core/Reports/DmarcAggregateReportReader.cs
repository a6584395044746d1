using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace MailAuth.Reports;

/// <summary>
/// Reads one aggregate-report XML document (RFC 9990, the older RFC 7489 Appendix C schema, or the pre-RFC draft).
/// <see cref="Read"/> builds the whole report; <see cref="ReadRows"/> streams one row per record as it
/// is read, in bounded memory whatever the size of the report. Errors are
/// <see cref="DmarcReportException"/>s with a stable ErrorId.
/// </summary>
public static class DmarcAggregateReportReader
{
    /// <summary>Reads a whole report; either all of it is returned or an exception says why none is.</summary>
    public static DmarcAggregateReport Read(Stream xml, string source, CancellationToken cancellationToken = default)
    {
        using var parser = new AggregateReportParser(xml, source);
        var header = parser.ReadHeader();
        var records = new List<DmarcReportRecord>();
        DmarcReportRecord record;
        while ((record = parser.ReadRecord()) != null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            records.Add(record);
        }
        return new DmarcAggregateReport(header, records);
    }

    /// <summary>
    /// Streams one row per record, each carrying the report's metadata. The header is checked before
    /// the first row, so a report refused for its content yields nothing; an error further on (a
    /// truncated file) is thrown after the rows already read, and its RecordsRead says how many.
    /// </summary>
    public static IEnumerable<DmarcReportRow> ReadRows(Stream xml, string source, CancellationToken cancellationToken = default)
    {
        using var parser = new AggregateReportParser(xml, source);
        var header = parser.ReadHeader();
        DmarcReportRecord record;
        while ((record = parser.ReadRecord()) != null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new DmarcReportRow(header, record);
        }
    }
}
