namespace MailAuth.DmarcRollout;

/// <summary>The enforcing DMARC policies a domain moves to (RFC 9989 §4.7, p=).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum EnforcementPolicy : long
{
    Quarantine = 1,
    Reject = 2,
}
