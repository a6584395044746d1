using System;
using System.Linq;
using MailAuth.Dkim;
using MimeKit;
using MimeKit.Utils;

namespace MailAuth.MessageAuthentication;

/// <summary>The RFC5322.From identity DMARC evaluates (RFC 9989 §4.4): exactly one author domain, or why there is none.</summary>
internal sealed class HeaderFromIdentity
{
    private HeaderFromIdentity(HeaderFromStatus status, string text, string domain)
    {
        Status = status;
        Text = text;
        Domain = domain;
    }

    public HeaderFromStatus Status { get; }
    public string Text { get; }
    public string Domain { get; }

    /// <summary>The From fields of the parsed message; MimeKit reads the address grammar (RFC 5322 §3.4).</summary>
    public static HeaderFromIdentity Read(DkimMessage message)
    {
        var fields = message.Fields.Where(h => h.Is("From")).Select(FieldText).ToList();
        if (fields.Count == 0) return new HeaderFromIdentity(HeaderFromStatus.Missing, null, null);
        var text = string.Join(", ", fields.Select(f => f.Trim()));
        if (fields.Count > 1) return new HeaderFromIdentity(HeaderFromStatus.Multiple, text, null);
        if (!InternetAddressList.TryParse(ParserOptions.Default, fields[0], out var list))
            return new HeaderFromIdentity(HeaderFromStatus.Unparsable, text, null);
        var domains = list.Mailboxes.Select(m => m.Domain?.Trim().TrimEnd('.').ToLowerInvariant()).Where(d => !string.IsNullOrEmpty(d))
            .Distinct(StringComparer.Ordinal).ToList();
        if (domains.Count == 0) return new HeaderFromIdentity(HeaderFromStatus.Unparsable, text, null);
        if (domains.Count > 1) return new HeaderFromIdentity(HeaderFromStatus.Multiple, text, null);
        return new HeaderFromIdentity(HeaderFromStatus.Single, text, domains[0]);
    }

    /// <summary>
    /// A field's value as text: UTF-8 (RFC 6532) or else the parser's fallback charset, RFC 2047 encoded-words decoded,
    /// unfolded (RFC 5322 §2.2.3) and trimmed.
    /// </summary>
    internal static string FieldText(DkimHeaderField field)
    {
        var decoded = Rfc2047.DecodeText(ParserOptions.Default, field.ValueBytes());
        return decoded.Replace("\r\n", string.Empty).Replace("\n", string.Empty).Trim();
    }
}
