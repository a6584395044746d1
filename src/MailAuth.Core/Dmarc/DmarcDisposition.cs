namespace MailAuth.Dmarc;

/// <summary>What a receiver following the published policy does with the message (RFC 9989 §4.8 step 6).</summary>
public enum DmarcDisposition
{
    None = 0,
    Quarantine = 1,
    Reject = 2,
}
