using System;
using System.IO;

namespace MailAuth.DmarcReports;

/// <summary>
/// Wraps a decompressing stream and stops it, with <see cref="DmarcReportException.DecompressionLimitErrorId"/>,
/// as soon as its output passes the size limit or outgrows its input by more than the ratio limit,
/// so a zip or gzip bomb is caught after a few megabytes, not after filling memory.
/// </summary>
internal sealed class DecompressionGuardStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly Func<long> _compressedBytes;
    private readonly DmarcReportReaderOptions _options;
    private readonly string _source;
    private long _produced;

    /// <param name="inner">The decompressing stream.</param>
    /// <param name="compressedBytes">How many compressed bytes were consumed so far (or the entry's compressed size).</param>
    /// <param name="options">The size and ratio limits.</param>
    /// <param name="source">The file or entry, named in the error.</param>
    public DecompressionGuardStream(Stream inner, Func<long> compressedBytes, DmarcReportReaderOptions options, string source)
    {
        _inner = inner;
        _compressedBytes = compressedBytes;
        _options = options;
        _source = source;
    }

    public long Produced => _produced;

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _inner.Read(buffer, offset, count);
        _produced += n;
        Check();
        return n;
    }

    private void Check()
    {
        if (_produced > _options.MaxDecompressedBytes)
            throw new DmarcReportException(DmarcReportException.DecompressionLimitErrorId, _source,
                $"{_source} expands to more than {_options.MaxDecompressedBytes:N0} bytes, the decompression limit; it was not imported (a zip or gzip bomb, or a report too large to read safely).");
        if (_produced >= _options.RatioCheckThresholdBytes)
        {
            long compressed = Math.Max(1, _compressedBytes());
            double ratio = (double)_produced / compressed;
            if (ratio > _options.MaxCompressionRatio)
                throw new DmarcReportException(DmarcReportException.DecompressionLimitErrorId, _source,
                    $"{_source} expands more than {_options.MaxCompressionRatio:0} times ({_produced:N0} bytes from {compressed:N0}), the compression-ratio limit; it was not imported (a zip or gzip bomb).");
        }
    }

    public override long Position { get => _produced; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
