namespace MailAuth.Dns;

/// <summary>The resource record types mail authentication asks for (RFC 1035, RFC 3596).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DnsRecordType : long
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    /// <summary>Type 99, obsolete for SPF since RFC 7208 §3.1; only looked up to warn about it.</summary>
    SPF = 99,
}
