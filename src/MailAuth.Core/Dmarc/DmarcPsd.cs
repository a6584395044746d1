namespace MailAuth.Dmarc;

/// <summary>The psd= tag (RFC 9989 §4.7): whether the record is published for a Public Suffix Domain.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DmarcPsd : long
{
    /// <summary>psd=u (the default): not a Public Suffix Domain; the tree walk decides the Organizational Domain.</summary>
    Unspecified = 0,
    /// <summary>psd=y: a Public Suffix Domain; the Organizational Domain is one label below it.</summary>
    Yes = 1,
    /// <summary>psd=n: this domain is the Organizational Domain for itself and its subdomains.</summary>
    No = 2,
}
