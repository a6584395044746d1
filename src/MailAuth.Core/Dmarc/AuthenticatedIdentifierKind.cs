namespace MailAuth.Dmarc;

/// <summary>The Authenticated Identifiers DMARC uses (RFC 9989 §4.3).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum AuthenticatedIdentifierKind : long
{
    /// <summary>The RFC5321.MailFrom domain authenticated by SPF.</summary>
    Spf = 0,
    /// <summary>The d= domain of a verified DKIM signature.</summary>
    Dkim = 1,
}
