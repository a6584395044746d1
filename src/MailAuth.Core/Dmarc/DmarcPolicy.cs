namespace MailAuth.Dmarc;

/// <summary>The Domain Owner Assessment Policy of the p=, sp= and np= tags (RFC 9989 §4.7).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DmarcPolicy : long
{
    /// <summary>p=none: no preference; mail is handled as it would be without DMARC.</summary>
    None = 0,
    /// <summary>p=quarantine: failing mail is suspicious (typically delivered to spam).</summary>
    Quarantine = 1,
    /// <summary>p=reject: failing mail is not valid use of the domain.</summary>
    Reject = 2,
}
