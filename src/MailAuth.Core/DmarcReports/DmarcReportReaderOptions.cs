namespace MailAuth.DmarcReports;

/// <summary>
/// Limits that keep a hostile report from exhausting memory while it is decompressed and read
/// (RFC 9990 §8.1 "Report Contents as an Attack"). A report read whole is held in memory, so its size is
/// bounded (<see cref="MaxReportBytes"/>); a report streamed row by row holds one record at a time, so only
/// each record is bounded (<see cref="MaxRecordBytes"/>) and bombs are caught by their compression ratio.
/// </summary>
public sealed class DmarcReportReaderOptions
{
    /// <summary>
    /// The most bytes one compressed file or archive entry may expand to, read whole or streamed. Default
    /// 64 GiB: a legitimate report of 10 million records is about 2.2 GB of XML, and streaming it holds one
    /// record at a time; bombs are stopped by <see cref="MaxCompressionRatio"/> long before this.
    /// </summary>
    public long MaxDecompressedBytes { get; set; } = 64L * 1024 * 1024 * 1024;

    /// <summary>
    /// The largest decompressed/compressed ratio accepted. Real reports compress 10 to 50 times;
    /// a bomb compresses a thousand times. Default 200.
    /// </summary>
    public double MaxCompressionRatio { get; set; } = 200;

    /// <summary>The ratio is only judged once this many bytes came out, so tiny files are never refused. Default 1 MiB.</summary>
    public long RatioCheckThresholdBytes { get; set; } = 1024 * 1024;

    /// <summary>The most entries read from one zip archive. Default 1,000.</summary>
    public int MaxArchiveEntries { get; set; } = 1000;

    /// <summary>The largest message (.eml) read, since a message is parsed in memory. Default 200 MiB.</summary>
    public long MaxMessageBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>
    /// The most bytes of XML that the report's metadata (everything before the first record) or any one
    /// record may take, read whole or streamed. This bounds every text element, attribute and name, which
    /// the XML reader holds whole. Default 4 MiB; real records take well under a kilobyte. It is larger than
    /// the point where <see cref="MaxCompressionRatio"/> is judged, so a compression bomb is reported as one.
    /// </summary>
    public long MaxRecordBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The most bytes of XML (after decompression) of a report read whole into one report object, whose
    /// records are all held in memory (about twice the XML's size). Default 256 MiB, about 1.2 million
    /// records; a larger report is refused before anything of it is returned, and streams with expand.
    /// </summary>
    public long MaxReportBytes { get; set; } = 256L * 1024 * 1024;

    internal static DmarcReportReaderOptions Default => new DmarcReportReaderOptions();
}
