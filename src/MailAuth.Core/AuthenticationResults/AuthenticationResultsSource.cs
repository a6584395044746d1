namespace MailAuth.AuthenticationResults;

/// <summary>The header field a set of results was read from.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum AuthenticationResultsSource : long
{
    /// <summary>Authentication-Results (RFC 8601 §2).</summary>
    AuthenticationResults,

    /// <summary>ARC-Authentication-Results, with an instance number (RFC 8617 §4.1.1).</summary>
    ArcAuthenticationResults,

    /// <summary>Received-SPF (RFC 7208 §9.1).</summary>
    ReceivedSpf,
}
