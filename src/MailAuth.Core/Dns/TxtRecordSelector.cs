using System;
using System.Collections.Generic;

namespace MailAuth.Dns;

/// <summary>
/// Chooses the TXT records of one kind in an answer, the way SPF (RFC 7208 §4.5), DMARC (RFC 9989 §4.10.1) and
/// DKIM key records (RFC 6376 §3.6.2.2) are found: the character-strings of one record joined, never the strings
/// of different records, the kind told by the record's leading version tag.
/// </summary>
public static class TxtRecordSelector
{
    /// <summary>
    /// Every TXT record of <paramref name="answer"/> whose joined text <paramref name="isOfKind"/> accepts, in answer order;
    /// read each one's text with <see cref="Text"/>.
    /// </summary>
    public static IReadOnlyList<DnsResourceRecord> Select(DnsAnswer answer, Func<string, bool> isOfKind)
    {
        if (answer == null) throw new ArgumentNullException(nameof(answer));
        if (isOfKind == null) throw new ArgumentNullException(nameof(isOfKind));
        List<DnsResourceRecord> selected = null;
        foreach (var record in answer.Records)
        {
            if (record.Type != DnsRecordType.TXT || !isOfKind(Text(record))) continue;
            (selected ??= new List<DnsResourceRecord>(1)).Add(record);
        }
        return (IReadOnlyList<DnsResourceRecord>)selected ?? Array.Empty<DnsResourceRecord>();
    }

    /// <summary>A TXT record's character-strings joined without separators (RFC 7208 §3.3).</summary>
    public static string Text(DnsResourceRecord record) => record.Text.Count == 1 ? record.Text[0] : record.JoinedText;
}
