using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// Writes the Authentication-Results header a receiver adds (RFC 8601 §2.2), or an ARC-Authentication-Results
/// header (RFC 8617 §4.1.1): <c>authserv-id [version]; method=result (comment) reason="..." ptype.property=value</c>,
/// or <c>authserv-id; none</c> when there are no results; a Received-SPF header in its own form (RFC 7208 §9.1).
/// Values are quoted only when they must be; comments
/// are escaped so that <see cref="AuthenticationResultsParser"/> reads back exactly what was written.
/// </summary>
public static class AuthenticationResultsWriter
{
    /// <summary>The header value on one line, e.g. <c>mx.example.net; spf=pass smtp.mailfrom=example.com</c>.</summary>
    public static string Write(AuthenticationResultsHeader header) => Write(header, fold: false);

    /// <summary>
    /// The header value; with <paramref name="fold"/> each result starts on its own continuation line
    /// (CRLF and a tab), as receivers such as Gmail write it.
    /// </summary>
    public static string Write(AuthenticationResultsHeader header, bool fold)
    {
        if (header == null) throw new ArgumentNullException(nameof(header));
        if (header.Source == AuthenticationResultsSource.ReceivedSpf) return WriteReceivedSpf(header, fold);
        var sb = new StringBuilder();
        if (header.Source == AuthenticationResultsSource.ArcAuthenticationResults)
            sb.Append("i=").Append((header.Instance ?? 1).ToString(CultureInfo.InvariantCulture)).Append("; ");
        var separator = fold ? ";\r\n\t" : "; ";
        if (header.AuthServId == null)
        {
            // A header read leniently without an authserv-id is written as it came: its results alone.
            return string.Join(separator, header.Results.Select(Write));
        }
        sb.Append(QuoteIfNeeded(header.AuthServId, alwaysQuote: false));
        if (header.Version.HasValue) sb.Append(' ').Append(header.Version.Value.ToString(CultureInfo.InvariantCulture));
        if (header.Results.Count == 0)
        {
            // RFC 8601 §2.2 no-result; comments follow "none", as in "none (SPF not checked for localhost)".
            sb.Append(separator).Append("none");
            AppendComments(sb, header.Comments);
            return sb.ToString();
        }
        AppendComments(sb, header.Comments);
        foreach (var result in header.Results)
        {
            sb.Append(separator);
            AppendResult(sb, result);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A Received-SPF value (RFC 7208 §9.1): <c>result (comment) key=value; key=value</c>, each value bare when
    /// <see cref="AuthenticationResultsParser"/> reads it back bare, else a quoted string.
    /// </summary>
    private static string WriteReceivedSpf(AuthenticationResultsHeader header, bool fold)
    {
        var spf = header.Results.Count > 0 ? header.Results[0] : null;
        var sb = new StringBuilder(spf?.Result ?? "none");
        if (spf == null) return sb.ToString();
        AppendComments(sb, spf.Comments);
        var separator = fold ? ";\r\n\t" : "; ";
        for (int i = 0; i < spf.Properties.Count; i++)
        {
            var p = spf.Properties[i];
            sb.Append(i == 0 ? (fold ? "\r\n\t" : " ") : separator);
            sb.Append(p.Key).Append('=');
            sb.Append(!string.IsNullOrEmpty(p.Value) && p.Value.All(IsBareReceivedSpfValueChar) ? p.Value : Quote(p.Value ?? string.Empty));
            if (p.Comment != null) sb.Append(' ').Append(FormatComment(p.Comment));
        }
        return sb.ToString();
    }

    private static bool IsBareReceivedSpfValueChar(char c) =>
        c > ' ' && c < 0x7f && c != ';' && c != '(' && c != ')' && c != '"' && c != '\\';

    /// <summary>The whole header field: <c>Authentication-Results: value</c> (or ARC-Authentication-Results).</summary>
    public static string WriteField(AuthenticationResultsHeader header, bool fold = false) =>
        header.FieldName + ": " + Write(header, fold);

    /// <summary>One resinfo: <c>method[/version]=result (comments) [reason=...] properties</c>.</summary>
    public static string Write(AuthenticationResult result)
    {
        var sb = new StringBuilder();
        AppendResult(sb, result);
        return sb.ToString();
    }

    private static void AppendResult(StringBuilder sb, AuthenticationResult result)
    {
        sb.Append(result.Method);
        if (result.MethodVersion.HasValue) sb.Append('/').Append(result.MethodVersion.Value.ToString(CultureInfo.InvariantCulture));
        sb.Append('=').Append(result.Result);
        AppendComments(sb, result.Comments);
        if (result.Reason != null) sb.Append(" reason=").Append(QuoteIfNeeded(result.Reason, alwaysQuote: true));
        foreach (var p in result.Properties)
        {
            if (p.Type.Length == 0)
                throw new ArgumentException($"The property '{p.Name}' has no ptype; Authentication-Results properties are ptype.property (RFC 8601 §2.3).", nameof(result));
            sb.Append(' ').Append(p.Type).Append('.').Append(p.Name).Append('=').Append(FormatPropertyValue(p.Value));
            if (p.Comment != null) sb.Append(' ').Append(FormatComment(p.Comment));
        }
    }

    /// <summary>
    /// Several comments are written as one, joined by "; ": the <c>Comment</c> text reads back unchanged, and
    /// parsers with a limit on consecutive comments (python3-authres accepts three before reason=) still read it.
    /// </summary>
    private static void AppendComments(StringBuilder sb, IReadOnlyList<string> comments)
    {
        if (comments.Count == 0) return;
        sb.Append(' ').Append(FormatComment(string.Join("; ", comments)));
    }

    /// <summary>A pvalue as written: bare when it is a dot-atom, token or address, else a quoted string.</summary>
    public static string FormatPropertyValue(string value)
    {
        if (string.IsNullOrEmpty(value)) return "\"\"";
        if (value.All(AuthenticationResultsParser.IsPValueChar)) return value;
        // "local part"@domain keeps its quoted local part as read, when that part reads back as written: no quoted-pair
        // (a backslash would be taken away on reading, RFC 5322 §3.2.4) and no quote inside.
        if (value[0] == '"')
        {
            var at = value.LastIndexOf("\"@", StringComparison.Ordinal);
            if (at > 0 && value.IndexOf('\\', 1, at - 1) < 0 && value.IndexOf('"', 1, at - 1) < 0
                && value.Substring(at + 2).All(c => AuthenticationResultsParser.IsPValueChar(c) && c != '@')) return value;
        }
        return Quote(value);
    }

    /// <summary>An RFC 2045 value: a token as is, anything else as a quoted string.</summary>
    public static string QuoteIfNeeded(string value, bool alwaysQuote)
    {
        if (!alwaysQuote && !string.IsNullOrEmpty(value) && value.All(AuthenticationResultsParser.IsTokenChar)) return value;
        return Quote(value ?? string.Empty);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>
    /// A comment in parentheses (RFC 5322 §3.2.2). Balanced parentheses stay as nested comments; unbalanced ones
    /// and backslashes are escaped as quoted-pairs, so the text reads back unchanged.
    /// </summary>
    public static string FormatComment(string text)
    {
        var balanced = IsBalanced(text);
        var sb = new StringBuilder(text.Length + 2).Append('(');
        foreach (var c in text)
        {
            if (c == '\\' || (!balanced && (c == '(' || c == ')'))) sb.Append('\\');
            if (c == '\r' || c == '\n') sb.Append(' ');
            else sb.Append(c);
        }
        return sb.Append(')').ToString();
    }

    private static bool IsBalanced(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) return false;
        }
        return depth == 0;
    }

    /// <summary>Builds a result from key/value pairs such as ("smtp.mailfrom", "user@example.com").</summary>
    public static AuthenticationResult Result(string method, string result, string comment = null, params (string Key, string Value)[] properties)
    {
        var props = new List<AuthenticationResultProperty>();
        foreach (var (key, value) in properties)
        {
            if (value == null) continue;
            var dot = key.IndexOf('.');
            if (dot <= 0) throw new ArgumentException($"'{key}' is not ptype.property.", nameof(properties));
            props.Add(new AuthenticationResultProperty(key.Substring(0, dot), key.Substring(dot + 1), value));
        }
        return new AuthenticationResult(method, result, props, comments: comment == null ? null : new[] { comment });
    }
}
