namespace MailAuth.Dmarc;

/// <summary>What a receiver following the published policy does with the message (RFC 9989 §5.3, applying the policy).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DmarcDisposition : long
{
    None = 0,
    Quarantine = 1,
    Reject = 2,
}
