namespace MailAuth.MessageAuthentication;

/// <summary>Where the RFC5321.MailFrom identity that SPF checked came from.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum MailFromSource : long
{
    /// <summary>Given by the caller (the MAIL FROM of the SMTP session).</summary>
    Parameter,

    /// <summary>Taken from the message's Return-Path header, which the final receiver copies from MAIL FROM (RFC 5321 §4.4).</summary>
    ReturnPath,

    /// <summary>MAIL FROM was empty (a bounce) or unknown, so SPF checked the HELO identity (RFC 7208 §2.3).</summary>
    Helo,
}
