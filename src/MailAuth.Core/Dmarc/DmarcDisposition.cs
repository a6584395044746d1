namespace MailAuth.Dmarc;

/// <summary>What a receiver following the published policy does with the message (RFC 9989 §5.3, applying the policy).</summary>
public enum DmarcDisposition
{
    None = 0,
    Quarantine = 1,
    Reject = 2,
}
