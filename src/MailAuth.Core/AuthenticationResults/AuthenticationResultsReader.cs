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
/// is returned with its error; the others are still parsed. A line that is not a header field is passed
/// over, so text that is not a message at all simply has none of these fields.
/// </summary>
public static class AuthenticationResultsReader
{
    /// <summary>
    /// Reads the header of the message in <paramref name="message"/> (the body is not read) with the same header parser as the
    /// DKIM and ARC checks: one pass, linear in the header's size however it is folded. Parses strictly (RFC 8601).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task<IReadOnlyList<AuthenticationResultsField>> ReadAsync(Stream message, CancellationToken cancellationToken = default) =>
        ReadAsync(message, lenient: false, cancellationToken);

    /// <summary>Reads the header of the message; <paramref name="lenient"/> also reads Authentication-Results without an authserv-id.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<IReadOnlyList<AuthenticationResultsField>> ReadAsync(Stream message, bool lenient, CancellationToken cancellationToken = default)
    {
        if (message == null) throw new ArgumentNullException(nameof(message));
        var parsed = await DkimMessage.ReadHeaderAsync(message, cancellationToken).ConfigureAwait(false);
        var fields = new List<AuthenticationResultsField>();
        foreach (var header in parsed.Fields)
        {
            AuthenticationResultsSource source;
            if (header.Is("Authentication-Results")) source = AuthenticationResultsSource.AuthenticationResults;
            else if (header.Is("ARC-Authentication-Results")) source = AuthenticationResultsSource.ArcAuthenticationResults;
            else if (header.Is("Received-SPF")) source = AuthenticationResultsSource.ReceivedSpf;
            else continue;
            var raw = DecodeRaw(header.ValueBytes());
            try
            {
                fields.Add(new AuthenticationResultsField(fields.Count, source, raw, AuthenticationResultsParser.Parse(source, raw, lenient), null));
            }
            catch (AuthenticationResultsSyntaxException ex)
            {
                fields.Add(new AuthenticationResultsField(fields.Count, source, raw, null, ex));
            }
        }
        return fields;
    }

    /// <summary>Header bytes as UTF-8 (RFC 6532), falling back to Latin-1 for 8-bit junk.</summary>
    private static string DecodeRaw(byte[] raw)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(raw).Trim();
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(28591).GetString(raw).Trim();
        }
    }
}
