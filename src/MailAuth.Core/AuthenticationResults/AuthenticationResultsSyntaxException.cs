using MailAuth.Common;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// An Authentication-Results, ARC-Authentication-Results or Received-SPF header value that does not follow its
/// grammar (RFC 8601 §2.2, RFC 8617 §4.1.1, RFC 7208 §9.1). <see cref="Position"/> is the zero-based offset
/// in the value where parsing stopped; the message says what was expected there and shows the text.
/// </summary>
public sealed class AuthenticationResultsSyntaxException : MailAuthInputException
{
    /// <summary>The ErrorId cmdlets report for a malformed header.</summary>
    public const string SyntaxErrorId = "AuthenticationResultsSyntaxError";

    public AuthenticationResultsSyntaxException(string expected, int position, string input)
        : base(SyntaxErrorId, BuildMessage(expected, position, input), input)
    {
        Expected = expected;
        Position = position;
    }

    /// <summary>What the parser expected at <see cref="Position"/>.</summary>
    public string Expected { get; }

    /// <summary>Zero-based offset into the header value.</summary>
    public int Position { get; }

    private static string BuildMessage(string expected, int position, string input)
    {
        input ??= string.Empty;
        var rest = position >= input.Length ? "end of header" : "'" + Excerpt(input, position) + "'";
        return $"Malformed header at position {position}: expected {expected}, found {rest}.";
    }

    private static string Excerpt(string input, int position)
    {
        var length = System.Math.Min(40, input.Length - position);
        var text = input.Substring(position, length).Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
        return position + length < input.Length ? text + "..." : text;
    }
}
