namespace MailAuth.Common;

/// <summary>
/// The character sets the parsers trim, made once: <c>string.Trim(params char[])</c> would otherwise allocate an array on
/// every call, and the record and header parsers call it for every tag.
/// </summary>
internal static class TrimChars
{
    /// <summary>WSP: SP and HTAB (RFC 5234 Appendix B.1).</summary>
    public static readonly char[] Wsp = { ' ', '\t' };

    /// <summary>WSP and the CR and LF of folded header fields (RFC 5322 §3.2.2 FWS).</summary>
    public static readonly char[] FoldingWhitespace = { ' ', '\t', '\r', '\n' };

    /// <summary>The angle brackets around an address in MAIL FROM or a header field (RFC 5321 §4.1.2 Path).</summary>
    public static readonly char[] AngleBrackets = { '<', '>' };
}
