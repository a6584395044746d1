using System;

namespace MailAuth.DmarcReports;

/// <summary>
/// A report file (or one entry of an archive or message) that cannot be imported, with a stable
/// <see cref="ErrorId"/> that the cmdlets use as the error record's id. Other files are unaffected.
/// </summary>
public sealed class DmarcReportException : Exception
{
    /// <summary>The file is not well-formed XML.</summary>
    public const string NotXmlErrorId = "DmarcReportNotXml";

    /// <summary>Well-formed XML, but its root is not &lt;feedback&gt; (RFC 9990).</summary>
    public const string NotAggregateReportErrorId = "DmarcReportNotAggregateReport";

    /// <summary>The bytes are not valid in the document's encoding (e.g. invalid UTF-8).</summary>
    public const string InvalidEncodingErrorId = "DmarcReportInvalidEncoding";

    /// <summary>The XML declaration names an encoding that .NET cannot decode, even with the legacy code pages.</summary>
    public const string UnsupportedEncodingErrorId = "DmarcReportUnsupportedEncoding";

    /// <summary>The document has a DTD: refused, so no external entity (XXE) or entity expansion (billion laughs) can run.</summary>
    public const string DtdProhibitedErrorId = "DmarcReportDtdProhibited";

    /// <summary>A compressed file or entry expands beyond the size or ratio limit (zip or gzip bomb).</summary>
    public const string DecompressionLimitErrorId = "DmarcReportDecompressionLimit";

    /// <summary>
    /// A report larger than can be read safely: one record (or the report's metadata) beyond
    /// <see cref="DmarcReportReaderOptions.MaxRecordBytes"/>, or a report read whole beyond
    /// <see cref="DmarcReportReaderOptions.MaxReportBytes"/>.
    /// </summary>
    public const string TooLargeErrorId = "DmarcReportTooLarge";

    /// <summary>A report whose required parts are missing or unreadable (no report_metadata, a bad date or count).</summary>
    public const string MalformedErrorId = "DmarcReportMalformed";

    /// <summary>A message (.eml) without a report attachment.</summary>
    public const string NoReportAttachmentErrorId = "DmarcReportNoAttachment";

    /// <summary>A corrupt archive or compressed stream, or a read error.</summary>
    public const string UnreadableErrorId = "DmarcReportUnreadable";

    public DmarcReportException(string errorId, string source, string message, long recordsRead = 0, Exception inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Source = source;
        RecordsRead = recordsRead;
    }

    /// <summary>A stable identifier such as <c>DmarcReportDecompressionLimit</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The file, or "file!entry", that failed.</summary>
    public new string Source { get; }

    /// <summary>How many records of this report were read (and, in streaming, emitted) before the error.</summary>
    public long RecordsRead { get; }
}
