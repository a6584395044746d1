using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace MailAuth.DmarcReports;

/// <summary>
/// Reads one aggregate-report XML document (RFC 9990, the older RFC 7489 Appendix C schema, or the pre-RFC draft).
/// <see cref="Read(Stream, string, DmarcReportReaderOptions, CancellationToken)"/> builds the whole report; <see cref="ReadRows(Stream, string, DmarcReportReaderOptions, CancellationToken)"/> streams one row per record as it
/// is read, in bounded memory whatever the size of the report. Errors are
/// <see cref="DmarcReportException"/>s with a stable ErrorId.
/// </summary>
public static class DmarcAggregateReportReader
{
    /// <summary>Reads a whole report with the default limits; see <see cref="Read(Stream, string, DmarcReportReaderOptions, CancellationToken)"/>.</summary>
    public static DmarcAggregateReport Read(Stream xml, string source, CancellationToken cancellationToken = default) =>
        Read(xml, source, null, cancellationToken);

    /// <summary>
    /// Reads a whole report; either all of it is returned or an exception says why none is. The document
    /// may take at most <see cref="DmarcReportReaderOptions.MaxReportBytes"/>, since all of it is held.
    /// </summary>
    /// <exception cref="DmarcReportException">The document is not a usable report, or is too large.</exception>
    public static DmarcAggregateReport Read(Stream xml, string source, DmarcReportReaderOptions options, CancellationToken cancellationToken = default)
    {
        using var parser = new AggregateReportParser(xml, source, options ?? DmarcReportReaderOptions.Default, whole: true);
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

    /// <summary>Streams the rows of a report with the default limits; see <see cref="ReadRows(Stream, string, DmarcReportReaderOptions, CancellationToken)"/>.</summary>
    public static IEnumerable<DmarcReportRow> ReadRows(Stream xml, string source, CancellationToken cancellationToken = default) =>
        ReadRows(xml, source, null, cancellationToken);

    /// <summary>
    /// Streams one row per record, each carrying the report's metadata. The header is checked before
    /// the first row, so a report refused for its content yields nothing; an error further on (a
    /// truncated file) is thrown after the rows already read, and its RecordsRead says how many. No limit
    /// applies to the whole document, only to each record (<see cref="DmarcReportReaderOptions.MaxRecordBytes"/>).
    /// </summary>
    /// <exception cref="DmarcReportException">The document is not a usable report, or one record is too large.</exception>
    public static IEnumerable<DmarcReportRow> ReadRows(Stream xml, string source, DmarcReportReaderOptions options, CancellationToken cancellationToken = default)
    {
        using var parser = new AggregateReportParser(xml, source, options ?? DmarcReportReaderOptions.Default, whole: false);
        var header = parser.ReadHeader();
        DmarcReportRecord record;
        while ((record = parser.ReadRecord()) != null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new DmarcReportRow(header, record);
        }
    }
}
