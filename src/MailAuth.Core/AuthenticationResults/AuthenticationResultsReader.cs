using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dkim;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// Reads every Authentication-Results (RFC 8601), ARC-Authentication-Results (RFC 8617) and Received-SPF
/// (RFC 7208 §9.1) field from a message's header, in header order, and parses each one. A malformed field
/// is returned with its error; the others are still parsed. The header section is split with the same
/// one-pass reader DKIM uses (<see cref="DkimMessage"/>): a line that is not a header field is passed over,
/// so text that is not a message at all simply has none of these fields.
/// </summary>
public static class AuthenticationResultsReader
{
    /// <summary>Reads the header of the message in <paramref name="message"/> (the body is not read).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<IReadOnlyList<AuthenticationResultsField>> ReadAsync(Stream message, CancellationToken cancellationToken = default)
    {
        if (message == null) throw new ArgumentNullException(nameof(message));
        var header = DkimMessage.Parse(await ReadHeaderSectionAsync(message, cancellationToken).ConfigureAwait(false));
        var fields = new List<AuthenticationResultsField>();
        foreach (var field in header.Fields)
        {
            AuthenticationResultsSource source;
            if (field.Is("Authentication-Results")) source = AuthenticationResultsSource.AuthenticationResults;
            else if (field.Is("ARC-Authentication-Results")) source = AuthenticationResultsSource.ArcAuthenticationResults;
            else if (field.Is("Received-SPF")) source = AuthenticationResultsSource.ReceivedSpf;
            else continue;
            var raw = DecodeRaw(field.Data, field.Colon + 1, field.End - field.Colon - 1);
            try
            {
                fields.Add(new AuthenticationResultsField(fields.Count, source, raw, AuthenticationResultsParser.Parse(source, raw), null));
            }
            catch (AuthenticationResultsSyntaxException ex)
            {
                fields.Add(new AuthenticationResultsField(fields.Count, source, raw, null, ex));
            }
        }
        return fields;
    }

    /// <summary>The bytes up to and including the empty line that ends the header section (RFC 5322 §2.1), or all of them.</summary>
    private static async Task<byte[]> ReadHeaderSectionAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            long scanFrom = Math.Max(0, header.Length - 2);
            header.Write(chunk, 0, n);
            var data = header.GetBuffer();
            for (long i = scanFrom; i < header.Length; i++)
            {
                // An empty line: at the very start, or a line feed followed by CRLF or LF.
                bool emptyLine = data[i] == (byte)'\n' && (i == 0 || data[i - 1] == (byte)'\n' || (data[i - 1] == (byte)'\r' && (i == 1 || data[i - 2] == (byte)'\n')));
                if (emptyLine) return Copy(data, i + 1);
            }
        }
        return Copy(header.GetBuffer(), header.Length);
    }

    private static byte[] Copy(byte[] data, long length)
    {
        var copy = new byte[length];
        Array.Copy(data, copy, length);
        return copy;
    }

    /// <summary>Header bytes as UTF-8 (RFC 6532), falling back to Latin-1 for 8-bit junk.</summary>
    private static string DecodeRaw(byte[] raw, int offset, int count)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(raw, offset, count).Trim();
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(28591).GetString(raw, offset, count).Trim();
        }
    }
}
