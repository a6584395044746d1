using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// A parsed Authentication-Results header (RFC 8601 §2.2): who evaluated the message (<see cref="AuthServId"/>),
/// the optional version, and the results in header order. An empty <see cref="Results"/> is the <c>none</c> form.
/// The same shape carries an ARC-Authentication-Results header (RFC 8617 §4.1.1, with <see cref="Instance"/>)
/// and a Received-SPF header (RFC 7208 §9.1, one <c>spf</c> result).
/// </summary>
public sealed class AuthenticationResultsHeader
{
    public AuthenticationResultsHeader(
        string authServId,
        IEnumerable<AuthenticationResult> results,
        int? version = null,
        IEnumerable<string> comments = null,
        AuthenticationResultsSource source = AuthenticationResultsSource.AuthenticationResults,
        int? instance = null)
        : this(authServId, results, version, comments, source, instance, requireAuthServId: true)
    {
    }

    /// <summary>A header read leniently may lack the authserv-id (<paramref name="requireAuthServId"/> false).</summary>
    internal AuthenticationResultsHeader(string authServId, IEnumerable<AuthenticationResult> results, int? version, IEnumerable<string> comments,
        AuthenticationResultsSource source, int? instance, bool requireAuthServId)
    {
        if (requireAuthServId && source != AuthenticationResultsSource.ReceivedSpf && string.IsNullOrEmpty(authServId))
            throw new ArgumentException("An Authentication-Results header needs an authserv-id.", nameof(authServId));
        AuthServId = authServId;
        Results = ReadOnlyArray.From(results);
        Version = version;
        Comments = ReadOnlyArray.From(comments);
        Source = source;
        Instance = instance;
    }

    /// <summary>
    /// The authserv-id: the receiver that did the evaluation (RFC 8601 §2.5). For Received-SPF, the <c>receiver=</c> key or null;
    /// null too for a header read leniently that has none (Microsoft 365 writes such headers).
    /// </summary>
    public string AuthServId { get; }

    /// <summary>The authres-version after the authserv-id, or null when none was written (RFC 8601 §2.2).</summary>
    public int? Version { get; }

    /// <summary>The results in header order; empty for <c>none</c>.</summary>
    public IReadOnlyList<AuthenticationResult> Results { get; }

    /// <summary>Comments after the authserv-id, without parentheses.</summary>
    public IReadOnlyList<string> Comments { get; }

    /// <summary>Which header field this came from.</summary>
    public AuthenticationResultsSource Source { get; }

    /// <summary>The ARC instance (<c>i=</c>) of an ARC-Authentication-Results header, else null (RFC 8617 §4.2.1).</summary>
    public int? Instance { get; }

    /// <summary>The header field name: Authentication-Results, ARC-Authentication-Results or Received-SPF.</summary>
    public string FieldName => FieldNameOf(Source);

    /// <summary>The header field name for a source.</summary>
    public static string FieldNameOf(AuthenticationResultsSource source) => source switch
    {
        AuthenticationResultsSource.ArcAuthenticationResults => "ARC-Authentication-Results",
        AuthenticationResultsSource.ReceivedSpf => "Received-SPF",
        _ => "Authentication-Results",
    };

    /// <summary>The first result of a method (case-insensitive), or null.</summary>
    public AuthenticationResult Find(string method) =>
        Results.FirstOrDefault(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every result of a method (case-insensitive), in header order.</summary>
    public IEnumerable<AuthenticationResult> FindAll(string method) =>
        Results.Where(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase));

    /// <summary>The header value as a receiver would write it (see <see cref="AuthenticationResultsWriter"/>).</summary>
    public override string ToString() => AuthenticationResultsWriter.Write(this);
}
