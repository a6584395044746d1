namespace MailAuth.Dmarc;

/// <summary>The Authenticated Identifiers DMARC uses (RFC 9989 §3.2.1).</summary>
public enum AuthenticatedIdentifierKind
{
    /// <summary>The RFC5321.MailFrom domain authenticated by SPF.</summary>
    Spf = 0,
    /// <summary>The d= domain of a verified DKIM signature.</summary>
    Dkim = 1,
}
