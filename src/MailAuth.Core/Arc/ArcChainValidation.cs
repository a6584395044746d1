namespace MailAuth.Arc;

/// <summary>The validation status of an ARC chain (RFC 8617 §4.4 cv= values), plus TempError when a key could not be fetched.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum ArcChainValidation : long
{
    /// <summary>The message has no ARC sets.</summary>
    None = 0,
    /// <summary>Every ARC-Seal verifies, the instances are complete, and the latest ARC-Message-Signature verifies.</summary>
    Pass,
    /// <summary>The chain is broken: a seal or the latest message signature fails, instances are missing, or an earlier sealer said cv=fail.</summary>
    Fail,
    /// <summary>A key could not be fetched (DNS timeout, SERVFAIL); try again later. Not an RFC 8617 value.</summary>
    TempError,
}
