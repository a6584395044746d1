namespace MailAuth.AuthenticationResults;

/// <summary>
/// One Authentication-Results, ARC-Authentication-Results or Received-SPF header field of a message, in the
/// order the fields appear: its parsed form, or the syntax error that kept it from being parsed.
/// </summary>
public sealed class AuthenticationResultsField
{
    public AuthenticationResultsField(int index, AuthenticationResultsSource source, string rawValue,
        AuthenticationResultsHeader header, AuthenticationResultsSyntaxException error)
    {
        Index = index;
        Source = source;
        RawValue = rawValue;
        Header = header;
        Error = error;
    }

    /// <summary>Zero-based position among the message's authentication result fields (topmost, i.e. newest, first).</summary>
    public int Index { get; }

    /// <summary>Which header field this is.</summary>
    public AuthenticationResultsSource Source { get; }

    /// <summary>The field name as registered.</summary>
    public string FieldName => AuthenticationResultsHeader.FieldNameOf(Source);

    /// <summary>The value as it appears in the message, folding included.</summary>
    public string RawValue { get; }

    /// <summary>The parsed header, or null when <see cref="Error"/> is set.</summary>
    public AuthenticationResultsHeader Header { get; }

    /// <summary>Why the value could not be parsed, or null.</summary>
    public AuthenticationResultsSyntaxException Error { get; }
}
