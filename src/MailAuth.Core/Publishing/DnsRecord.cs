using System;
using System.Globalization;

namespace MailAuth.Publishing;

/// <summary>
/// A DNS record that MailAuth proposes for publication: the one shape shared by
/// New-DmarcRecord, the SES record builders and the zone-file/Route 53 converters.
/// </summary>
public sealed class DnsRecord
{
    public DnsRecord(string name, string type, string value, int ttl = 3600, int? priority = null, string purpose = null)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A record needs a name.", nameof(name));
        if (string.IsNullOrEmpty(type)) throw new ArgumentException("A record needs a type.", nameof(type));
        Name = name;
        Type = type.ToUpperInvariant();
        Value = value ?? string.Empty;
        Ttl = ttl;
        Priority = priority;
        Purpose = purpose ?? string.Empty;
    }

    /// <summary>The owner name, without a trailing dot, e.g. <c>_dmarc.example.com</c>.</summary>
    public string Name { get; }

    /// <summary>TXT, CNAME, MX, ...</summary>
    public string Type { get; }

    /// <summary>The record data as a person would type it into a DNS console (TXT without quotes, MX without the preference).</summary>
    public string Value { get; }

    /// <summary>Time to live in seconds.</summary>
    public int Ttl { get; }

    /// <summary>MX preference; null for other types.</summary>
    public int? Priority { get; }

    /// <summary>What the record is for, e.g. "DMARC policy" or "Easy DKIM".</summary>
    public string Purpose { get; }

    public override string ToString() =>
        Priority.HasValue
            ? string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", Name, Type, Priority.Value, Value)
            : string.Format(CultureInfo.InvariantCulture, "{0} {1} {2}", Name, Type, Value);
}
