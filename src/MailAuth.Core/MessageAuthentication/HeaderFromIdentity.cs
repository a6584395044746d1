using System;
using System.Linq;
using MimeKit;

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

    public static HeaderFromIdentity Read(HeaderList headers)
    {
        var fields = headers.Where(h => h.Id == HeaderId.From).ToList();
        if (fields.Count == 0) return new HeaderFromIdentity(HeaderFromStatus.Missing, null, null);
        var text = string.Join(", ", fields.Select(f => (f.Value ?? string.Empty).Trim()));
        if (fields.Count > 1) return new HeaderFromIdentity(HeaderFromStatus.Multiple, text, null);
        if (!InternetAddressList.TryParse(ParserOptions.Default, fields[0].Value ?? string.Empty, out var list))
            return new HeaderFromIdentity(HeaderFromStatus.Unparsable, text, null);
        var domains = list.Mailboxes.Select(m => m.Domain?.Trim().TrimEnd('.').ToLowerInvariant()).Where(d => !string.IsNullOrEmpty(d))
            .Distinct(StringComparer.Ordinal).ToList();
        if (domains.Count == 0) return new HeaderFromIdentity(HeaderFromStatus.Unparsable, text, null);
        if (domains.Count > 1) return new HeaderFromIdentity(HeaderFromStatus.Multiple, text, null);
        return new HeaderFromIdentity(HeaderFromStatus.Single, text, domains[0]);
    }
}
