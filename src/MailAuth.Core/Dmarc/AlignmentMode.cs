namespace MailAuth.Dmarc;

/// <summary>Identifier Alignment mode, the adkim= and aspf= tags (RFC 9989 §4.4.1, §4.4.2).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum AlignmentMode : long{
    /// <summary>r: the two domains have the same Organizational Domain.</summary>
    Relaxed = 0,
    /// <summary>s: the two domains are identical.</summary>
    Strict = 1,
}
