using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using MimeKit;

namespace MailAuth.DmarcReports;

/// <summary>
/// Reads the aggregate reports in a file as receivers send them (RFC 9990):
/// plain XML, gzip (.xml.gz, .gz), zip (each entry), or a message (.eml) with the report attached
/// as XML, gzip or zip. The container is recognised by its first bytes, not only by its name.
/// Decompression is capped by ratio (and a size far above any report), so zip and gzip bombs are refused
/// early; a report read whole is bounded in size, a streamed one in the size of each record
/// (<see cref="DmarcReportReaderOptions"/>). Each report's failure, whatever the container, is yielded as an
/// error result with a stable ErrorId; the other entries, attachments and files still import.
/// </summary>
public sealed class DmarcReportImporter
{
    private readonly DmarcReportReaderOptions _options;

    public DmarcReportImporter(DmarcReportReaderOptions options = null) => _options = options ?? DmarcReportReaderOptions.Default;

    /// <summary>The file extensions that an import of a folder picks up.</summary>
    public static IReadOnlyList<string> ReportFileExtensions { get; } = new[] { ".xml", ".gz", ".zip", ".eml" };

    /// <summary>
    /// Reads every report of a file: with <paramref name="expand"/> one row per record, streamed as it
    /// is read; otherwise one report object per report. Errors come as results, never as exceptions.
    /// </summary>
    public IEnumerable<DmarcReportReadResult> ReadFile(string path, bool expand, CancellationToken cancellationToken = default)
    {
        FileStream file = null;
        DmarcReportException error = null;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            error = Unreadable(path, ex);
        }
        if (error != null)
        {
            yield return DmarcReportReadResult.ForError(error);
            yield break;
        }

        using (file)
        {
            var results = path.EndsWith(".eml", StringComparison.OrdinalIgnoreCase)
                ? ReadMessage(file, path, expand, cancellationToken)
                : ReadContainer(file, path, expand, cancellationToken);
            foreach (var r in results) yield return r;
        }
    }

    /// <summary>Reads a seekable stream that holds XML, gzip or zip, told apart by their magic bytes.</summary>
    private IEnumerable<DmarcReportReadResult> ReadContainer(Stream stream, string source, bool expand, CancellationToken ct)
    {
        var kind = Sniff(stream);
        if (kind == ContainerKind.Zip) return ReadZip(stream, source, expand, ct);
        if (kind == ContainerKind.Gzip) return ReadXml(() => OpenGzip(new NonClosingStream(stream), source), source, expand, ct);
        long length = stream.Length - stream.Position;
        if (!expand && length > _options.MaxReportBytes)
            return new[] { DmarcReportReadResult.ForError(TooLargeToReadWhole(source, length)) };
        return ReadXml(() => new NonClosingStream(stream), source, expand, ct);
    }

    private IEnumerable<DmarcReportReadResult> ReadZip(Stream stream, string source, bool expand, CancellationToken ct)
    {
        ZipArchive zip = null;
        List<ZipArchiveEntry> entries = null;
        DmarcReportException error = null;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            entries = zip.Entries.Where(e => !e.FullName.EndsWith("/", StringComparison.Ordinal)).ToList();
            if (entries.Count == 0)
                error = new DmarcReportException(DmarcReportException.NotAggregateReportErrorId, source, $"{source} is a zip archive without any file in it; there is no report to import.");
            else if (entries.Count > _options.MaxArchiveEntries)
                error = new DmarcReportException(DmarcReportException.DecompressionLimitErrorId, source,
                    $"{source} is a zip archive of {entries.Count:N0} files, more than the limit of {_options.MaxArchiveEntries:N0}; it was not imported.");
        }
        catch (InvalidDataException ex)
        {
            error = Unreadable(source, ex);
        }
        if (error != null)
        {
            zip?.Dispose();
            yield return DmarcReportReadResult.ForError(error);
            yield break;
        }

        using (zip)
        {
            foreach (var entry in entries)
            {
                var entrySource = source + "!" + entry.FullName;
                var refused = CheckDeclaredSize(entry, entrySource, expand);
                if (refused != null)
                {
                    yield return DmarcReportReadResult.ForError(refused);
                    continue;
                }
                var captured = entry;
                Stream Open()
                {
                    Stream s = new DecompressionGuardStream(captured.Open(), () => captured.CompressedLength, _options, entrySource);
                    return captured.FullName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? OpenGzip(s, entrySource) : s;
                }
                foreach (var r in ReadXml(Open, entrySource, expand, ct)) yield return r;
            }
        }
    }

    /// <summary>Refuses an entry before reading it when its own header already declares a bomb, or a report too large to read whole.</summary>
    private DmarcReportException CheckDeclaredSize(ZipArchiveEntry entry, string source, bool expand)
    {
        if (!expand && entry.Length > _options.MaxReportBytes)
            return TooLargeToReadWhole(source, entry.Length);
        if (entry.Length > _options.MaxDecompressedBytes)
            return new DmarcReportException(DmarcReportException.DecompressionLimitErrorId, source,
                $"{source} declares {entry.Length:N0} bytes, more than the decompression limit of {_options.MaxDecompressedBytes:N0}; it was not imported.");
        if (entry.Length >= _options.RatioCheckThresholdBytes && entry.Length > _options.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
            return new DmarcReportException(DmarcReportException.DecompressionLimitErrorId, source,
                $"{source} expands {entry.Length:N0} bytes from {entry.CompressedLength:N0}, more than {_options.MaxCompressionRatio:0} times (the compression-ratio limit); it was not imported (a zip bomb).");
        return null;
    }

    private Stream OpenGzip(Stream compressed, string source)
    {
        var counted = new CountingStream(compressed);
        return new DecompressionGuardStream(new GZipStream(counted, CompressionMode.Decompress), () => counted.BytesRead, _options, source);
    }

    /// <summary>
    /// Reads every report of one message (RFC 5322, as fetched from a mailbox or an S3 object) held in a seekable
    /// <paramref name="stream"/>, named <paramref name="source"/> in results and errors. A message without a report attachment yields
    /// one <see cref="DmarcReportException.NoReportAttachmentErrorId"/> error result.
    /// </summary>
    public IEnumerable<DmarcReportReadResult> ReadMessage(Stream stream, string source, bool expand, CancellationToken ct = default)
    {
        MimeMessage message = null;
        DmarcReportException error = null;
        if (stream.Length > _options.MaxMessageBytes)
        {
            error = new DmarcReportException(DmarcReportException.DecompressionLimitErrorId, source,
                $"{source} is {stream.Length:N0} bytes, more than the {_options.MaxMessageBytes:N0} read for a message; it was not imported.");
        }
        else
        {
            try
            {
                message = MimeMessage.Load(stream, ct);
            }
            catch (FormatException ex)
            {
                error = Unreadable(source, ex);
            }
        }
        var parts = message?.BodyParts.OfType<MimePart>().Where(IsReportPart).ToList();
        if (error == null && (parts == null || parts.Count == 0))
            error = new DmarcReportException(DmarcReportException.NoReportAttachmentErrorId, source,
                $"{source} is a message without a report attached (an .xml, .xml.gz, .gz or .zip part, RFC 9990); nothing was imported from it.");
        if (error != null)
        {
            yield return DmarcReportReadResult.ForError(error);
            yield break;
        }

        foreach (var part in parts)
        {
            var partSource = source + "!" + (part.FileName ?? part.ContentType.MimeType);
            if (part.Content == null)
            {
                // A part with headers and no body at all, or closed by the boundary straight after them.
                yield return DmarcReportReadResult.ForError(new DmarcReportException(DmarcReportException.NoReportAttachmentErrorId, partSource,
                    $"{partSource}: the attachment {part.FileName ?? part.ContentType.MimeType} is empty (the message part has headers and no content); there is no report in it."));
                continue;
            }
            var content = new MemoryStream();
            DmarcReportException decodeError = null;
            try
            {
                part.Content.DecodeTo(content, ct);
                content.Position = 0;
            }
            catch (Exception ex) when (ex is FormatException || ex is IOException)
            {
                decodeError = Unreadable(partSource, ex);
            }
            if (decodeError != null)
            {
                yield return DmarcReportReadResult.ForError(decodeError);
                continue;
            }
            using (content)
            {
                foreach (var r in ReadContainer(content, partSource, expand, ct)) yield return r;
            }
        }
    }

    private static bool IsReportPart(MimePart part)
    {
        var name = part.FileName ?? string.Empty;
        if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return true;
        var type = part.ContentType.MimeType.ToLowerInvariant();
        return type == "application/zip" || type == "application/x-zip-compressed" || type == "application/gzip"
            || type == "application/x-gzip" || type == "application/xml" || type == "text/xml";
    }

    /// <summary>
    /// Reads one report document. Without expand, the report is built whole and yielded only if all of
    /// it reads. With expand, rows are yielded as they are read; an error after some rows is yielded last.
    /// </summary>
    private IEnumerable<DmarcReportReadResult> ReadXml(Func<Stream> open, string source, bool expand, CancellationToken ct)
    {
        if (!expand)
        {
            DmarcReportReadResult result;
            try
            {
                using var s = open();
                result = DmarcReportReadResult.ForReport(DmarcAggregateReportReader.Read(s, source, _options, ct));
            }
            catch (Exception ex) when (AsReportError(ex, source) is DmarcReportException wholeError)
            {
                result = DmarcReportReadResult.ForError(wholeError);
            }
            yield return result;
            yield break;
        }

        Stream stream = null;
        IEnumerator<DmarcReportRow> rows = null;
        DmarcReportException error = null;
        long written = 0;
        try
        {
            try
            {
                stream = open();
                rows = DmarcAggregateReportReader.ReadRows(stream, source, _options, ct).GetEnumerator();
            }
            catch (Exception ex) when (AsReportError(ex, source) is DmarcReportException openError)
            {
                error = openError;
            }
            while (error == null)
            {
                DmarcReportRow row;
                try
                {
                    if (!rows.MoveNext()) break;
                    row = rows.Current;
                }
                catch (Exception ex) when (AsReportError(ex, source) is DmarcReportException readError)
                {
                    error = readError;
                    break;
                }
                written++;
                yield return DmarcReportReadResult.ForRow(row);
            }
        }
        finally
        {
            rows?.Dispose();
            stream?.Dispose();
        }
        if (error != null)
        {
            if (written > 0 && error.RecordsRead == 0)
                error = new DmarcReportException(error.ErrorId, error.Source,
                    error.Message + $" {written:N0} record(s) of it had already been written.", written, error.InnerException);
            yield return DmarcReportReadResult.ForError(error);
        }
    }

    private enum ContainerKind { Xml, Gzip, Zip }

    private static ContainerKind Sniff(Stream stream)
    {
        var head = new byte[4];
        long start = stream.Position;
        int n = 0, read;
        while (n < head.Length && (read = stream.Read(head, n, head.Length - n)) > 0) n += read;
        stream.Position = start;
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) return ContainerKind.Gzip;
        if (n >= 4 && head[0] == 0x50 && head[1] == 0x4b && head[2] == 0x03 && head[3] == 0x04) return ContainerKind.Zip;
        return ContainerKind.Xml;
    }

    /// <summary>
    /// The error result of one report's failure: its own <see cref="DmarcReportException"/>, or a corrupt
    /// archive entry or compressed stream (an unsupported zip method such as LZMA, a corrupt local header, a
    /// bad deflate block) as <see cref="DmarcReportException.UnreadableErrorId"/>; null for anything else.
    /// </summary>
    private static DmarcReportException AsReportError(Exception ex, string source)
    {
        if (ex is DmarcReportException report) return report;
        if (ex is InvalidDataException || ex is IOException || ex is NotSupportedException) return Unreadable(source, ex);
        return null;
    }

    private DmarcReportException TooLargeToReadWhole(string source, long bytes) =>
        new DmarcReportException(DmarcReportException.TooLargeErrorId, source,
            $"{source} is {bytes:N0} bytes of XML, more than the {_options.MaxReportBytes:N0} read into one report object (MaxReportBytes); read it with expand (Import-DmarcReport -Expand), which streams it one record at a time. Nothing of it was imported.");

    private static DmarcReportException Unreadable(string source, Exception ex) =>
        new DmarcReportException(DmarcReportException.UnreadableErrorId, source, $"{source} could not be read: {ex.Message}", 0, ex);
}
