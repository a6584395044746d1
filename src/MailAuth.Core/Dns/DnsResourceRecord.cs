using System;
using System.Collections.Generic;
using System.Net;

namespace MailAuth.Dns;

/// <summary>One resource record of an answer, in a shape independent of the DNS library.</summary>
public sealed class DnsResourceRecord
{
    private static readonly IReadOnlyList<string> NoText = Array.Empty<string>();

    private DnsResourceRecord(string name, DnsRecordType type, int ttl, IReadOnlyList<string> text, IPAddress address, string target, int preference)
    {
        Name = name;
        Type = type;
        Ttl = ttl;
        Text = text ?? NoText;
        Address = address;
        Target = target;
        Preference = preference;
    }

    /// <summary>Owner name, lower-case, without the trailing dot; octets that are not printable ASCII as RFC 1035 §5.1 escapes (see <see cref="DomainName"/>).</summary>
    public string Name { get; }
    public DnsRecordType Type { get; }
    public int Ttl { get; }

    /// <summary>TXT: the character-strings of this one record, in order (RFC 7208 §3.3: join them without spaces).</summary>
    public IReadOnlyList<string> Text { get; }

    /// <summary>A and AAAA.</summary>
    public IPAddress Address { get; }

    /// <summary>CNAME, PTR and NS target; MX exchange. Without the trailing dot.</summary>
    public string Target { get; }

    /// <summary>MX preference.</summary>
    public int Preference { get; }

    /// <summary>The TXT character-strings joined into one string.</summary>
    public string JoinedText => string.Concat(Text);

    public static DnsResourceRecord Txt(string name, IReadOnlyList<string> strings, int ttl = 300) => new DnsResourceRecord(Trim(name), DnsRecordType.TXT, ttl, strings, null, null, 0);
    public static DnsResourceRecord Address4Or6(string name, IPAddress address, int ttl = 300) =>
        new DnsResourceRecord(Trim(name), address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A, ttl, null, address, null, 0);
    public static DnsResourceRecord Mx(string name, int preference, string exchange, int ttl = 300) => new DnsResourceRecord(Trim(name), DnsRecordType.MX, ttl, null, null, Trim(exchange), preference);
    public static DnsResourceRecord Cname(string name, string target, int ttl = 300) => new DnsResourceRecord(Trim(name), DnsRecordType.CNAME, ttl, null, null, Trim(target), 0);
    public static DnsResourceRecord Ptr(string name, string target, int ttl = 300) => new DnsResourceRecord(Trim(name), DnsRecordType.PTR, ttl, null, null, Trim(target), 0);
    public static DnsResourceRecord Ns(string name, string target, int ttl = 300) => new DnsResourceRecord(Trim(name), DnsRecordType.NS, ttl, null, null, Trim(target), 0);
    public static DnsResourceRecord Spf(string name, IReadOnlyList<string> strings, int ttl = 300) => new DnsResourceRecord(Trim(name), DnsRecordType.SPF, ttl, strings, null, null, 0);

    /// <summary>A name without its trailing dot, in lower case; an escaped dot (<c>a\.</c>, RFC 1035 §5.1) stays.</summary>
    internal static string Trim(string name) => name?.Substring(0, DomainName.TrimmedLength(name)).ToLowerInvariant();

    public override string ToString()
    {
        switch (Type)
        {
            case DnsRecordType.TXT:
            case DnsRecordType.SPF: return $"{Name} {Type} \"{string.Join("\" \"", Text)}\"";
            case DnsRecordType.A:
            case DnsRecordType.AAAA: return $"{Name} {Type} {Address}";
            case DnsRecordType.MX: return $"{Name} MX {Preference} {Target}";
            default: return $"{Name} {Type} {Target}";
        }
    }
}
