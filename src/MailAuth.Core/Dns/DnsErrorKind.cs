namespace MailAuth.Dns;

/// <summary>Why a lookup could not be answered.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DnsErrorKind : long
{
    None = 0,
    /// <summary>No answer within the timeout, after every retry.</summary>
    Timeout,
    /// <summary>RCODE 2, SERVFAIL.</summary>
    ServerFailure,
    /// <summary>RCODE 5, REFUSED.</summary>
    Refused,
    /// <summary>RCODE 1, FORMERR.</summary>
    FormatError,
    /// <summary>RCODE 4, NOTIMP.</summary>
    NotImplemented,
    /// <summary>The server could not be reached (connection refused, network unreachable).</summary>
    Network,
    /// <summary>A CNAME chain that loops or is longer than we follow.</summary>
    CnameLoop,
    /// <summary>An answer we could not parse, one that does not answer the question, or any other failure.</summary>
    Other,
    /// <summary>
    /// The name cannot be asked: an empty label, a label over 63 octets or a name over 255 (RFC 1035 §2.3.4),
    /// or a bad escape in its text (RFC 1035 §5.1). Nothing was sent.
    /// </summary>
    InvalidName,
}
