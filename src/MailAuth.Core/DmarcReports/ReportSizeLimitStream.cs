using System;
using System.IO;

namespace MailAuth.DmarcReports;

/// <summary>
/// Counts the XML bytes under an aggregate-report parser and stops the parse, with
/// <see cref="DmarcReportException.TooLargeErrorId"/>, when one section (the report's metadata, or one
/// record) passes <see cref="DmarcReportReaderOptions.MaxRecordBytes"/>, or when a report read whole passes
/// <see cref="DmarcReportReaderOptions.MaxReportBytes"/>. The XML reader buffers a whole text node, attribute
/// or name before it hands it out, so bounding the bytes per section bounds the memory of every one of them
/// (RFC 9990 §8.1, "Report Contents as an Attack").
/// </summary>
internal sealed class ReportSizeLimitStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly string _source;
    private readonly long _maxSectionBytes;
    private readonly long _maxTotalBytes;
    private long _total;
    private long _sectionStart;
    private Func<(string Section, long RecordsRead)> _section = () => ("the report's metadata", 0);

    /// <param name="inner">The XML, decompressed.</param>
    /// <param name="source">The file or entry, named in the error.</param>
    /// <param name="maxSectionBytes">The most bytes one section may take.</param>
    /// <param name="maxTotalBytes">The most bytes of the whole document; <see cref="long.MaxValue"/> when it is streamed.</param>
    public ReportSizeLimitStream(Stream inner, string source, long maxSectionBytes, long maxTotalBytes)
    {
        _inner = inner;
        _source = source;
        _maxSectionBytes = maxSectionBytes;
        _maxTotalBytes = maxTotalBytes;
    }

    /// <summary>Starts counting a new section; <paramref name="describe"/> names it (and the records read before it) in the error.</summary>
    public void BeginSection(Func<(string Section, long RecordsRead)> describe)
    {
        _sectionStart = _total;
        _section = describe;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _inner.Read(buffer, offset, count);
        _total += n;
        if (_total > _maxTotalBytes)
            throw new DmarcReportException(DmarcReportException.TooLargeErrorId, _source,
                $"{_source} is more than {_maxTotalBytes:N0} bytes of XML, the most read into one report object (MaxReportBytes); read it with expand (Import-DmarcReport -Expand), which streams it one record at a time. Nothing of it was imported.");
        if (_total - _sectionStart > _maxSectionBytes)
        {
            var (section, recordsRead) = _section();
            string after = recordsRead > 0 ? $" after {recordsRead:N0} record(s), which were already read" : string.Empty;
            throw new DmarcReportException(DmarcReportException.TooLargeErrorId, _source,
                $"{_source}: {section} takes more than {_maxSectionBytes:N0} bytes of XML (MaxRecordBytes){after}. A real record or report header takes a few kilobytes; a text element, attribute or name this large is refused so that it cannot exhaust memory. The rest of the report was not imported.",
                recordsRead);
        }
        return n;
    }

    public override long Position { get => _total; set => throw new NotSupportedException(); }
}
