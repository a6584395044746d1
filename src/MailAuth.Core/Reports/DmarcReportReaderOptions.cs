namespace MailAuth.Reports;

/// <summary>
/// Limits that keep a hostile report from exhausting memory or disk while it is decompressed
/// (RFC 9990 §8.1 "Report Contents as an Attack").
/// </summary>
public sealed class DmarcReportReaderOptions
{
    /// <summary>The most bytes one compressed file or archive entry may expand to. Default 2 GiB.</summary>
    public long MaxDecompressedBytes { get; set; } = 2L * 1024 * 1024 * 1024;

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

    internal static DmarcReportReaderOptions Default => new DmarcReportReaderOptions();
}
