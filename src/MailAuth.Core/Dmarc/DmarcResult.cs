namespace MailAuth.Dmarc;

/// <summary>The outcome of DMARC evaluation of one message (RFC 9989 §5.3; the result names RFC 9989 §9.2 registers).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DmarcResult : long{
    /// <summary>No DMARC policy applies to the RFC5322.From domain.</summary>
    None = 0,
    /// <summary>An aligned identifier passed SPF or DKIM.</summary>
    Pass = 1,
    /// <summary>No aligned identifier passed, and none failed only temporarily.</summary>
    Fail = 2,
    /// <summary>A DNS failure (policy discovery, or SPF/DKIM temperror) keeps a definite answer from being reached.</summary>
    TempError = 3,
    /// <summary>The policy cannot be used (e.g. several DMARC records, or an invalid p= without rua=).</summary>
    PermError = 4,
}
