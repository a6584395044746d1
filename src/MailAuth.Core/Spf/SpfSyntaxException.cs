using System;

namespace MailAuth.Spf;

/// <summary>An SPF record that does not follow the ABNF of RFC 7208 §12; check_host() returns PermError for it (§4.6).</summary>
public sealed class SpfSyntaxException : FormatException
{
    public SpfSyntaxException(string message, string term = null) : base(message) => Term = term;

    /// <summary>The offending term, when one is to blame.</summary>
    public string Term { get; }
}
