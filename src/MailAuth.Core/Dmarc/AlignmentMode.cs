namespace MailAuth.Dmarc;

/// <summary>Identifier Alignment mode, the adkim= and aspf= tags (RFC 9989 §3.2.2, §3.2.3).</summary>
public enum AlignmentMode
{
    /// <summary>r: the two domains have the same Organizational Domain.</summary>
    Relaxed = 0,
    /// <summary>s: the two domains are identical.</summary>
    Strict = 1,
}
