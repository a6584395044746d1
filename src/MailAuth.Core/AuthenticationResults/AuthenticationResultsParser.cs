using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MailAuth.AuthenticationResults;

/// <summary>
/// Parses Authentication-Results (RFC 8601 §2.2), ARC-Authentication-Results (RFC 8617 §4.1.1) and
/// Received-SPF (RFC 7208 §9.1) header values: comments (nested, with quoted-pairs) and folding whitespace
/// anywhere CFWS is allowed, quoted strings, the authres-version and method versions, <c>none</c>,
/// <c>reason=</c> and any number of properties. A malformed value raises
/// <see cref="AuthenticationResultsSyntaxException"/> with the position; nothing else is thrown.
/// </summary>
/// <remarks>
/// Two liberal readings, both common in real mail and both accepted by python3-authres: a trailing
/// semicolon after the last result, and a property without a ptype (<c>version=TLSv1.2</c>), which is
/// skipped as RFC 8601 §2.7.6 asks of unknown content. Comments are kept: those after a result belong to
/// the result, those after a property value to that property, those after the authserv-id to the header.
/// <para>
/// Read leniently (the <c>lenient</c> overloads), a header that starts with a result instead of an authserv-id,
/// as Microsoft 365 writes it (<c>spf=pass (sender IP is ...) smtp.mailfrom=...; dkim=pass ...; compauth=pass reason=100</c>),
/// is parsed with a null <see cref="AuthenticationResultsHeader.AuthServId"/>; strictly, it is malformed (RFC 8601 §2.2).
/// </para>
/// </remarks>
public static class AuthenticationResultsParser
{
    /// <summary>Parses an Authentication-Results value strictly (RFC 8601); a leading "Authentication-Results:" is tolerated.</summary>
    /// <exception cref="AuthenticationResultsSyntaxException">The value is malformed; it says where.</exception>
    public static AuthenticationResultsHeader Parse(string headerValue) => Parse(headerValue, lenient: false);

    /// <summary>Parses an Authentication-Results value; <paramref name="lenient"/> also reads a header without an authserv-id.</summary>
    /// <exception cref="AuthenticationResultsSyntaxException">The value is malformed; it says where.</exception>
    public static AuthenticationResultsHeader Parse(string headerValue, bool lenient) =>
        Parse(DetectFieldName(headerValue).Source, headerValue, lenient);

    /// <summary>Parses the value of a header field whose name is known (Authentication-Results, ARC-Authentication-Results, Received-SPF), strictly.</summary>
    /// <exception cref="AuthenticationResultsSyntaxException">The value is malformed; it says where.</exception>
    public static AuthenticationResultsHeader Parse(AuthenticationResultsSource source, string headerValue) => Parse(source, headerValue, lenient: false);

    /// <summary>Parses the value of a header field whose name is known; <paramref name="lenient"/> also reads a header without an authserv-id.</summary>
    /// <exception cref="AuthenticationResultsSyntaxException">The value is malformed; it says where.</exception>
    public static AuthenticationResultsHeader Parse(AuthenticationResultsSource source, string headerValue, bool lenient)
    {
        var scanner = new Scanner(headerValue, DetectFieldName(headerValue).Offset, lenient);
        return source switch
        {
            AuthenticationResultsSource.ArcAuthenticationResults => scanner.ParseArc(),
            AuthenticationResultsSource.ReceivedSpf => scanner.ParseReceivedSpf(),
            _ => scanner.ParseAuthenticationResults(source, null),
        };
    }

    /// <summary>Parses an ARC-Authentication-Results value: <c>i=N;</c> then an Authentication-Results payload (RFC 8617 §4.1.1).</summary>
    /// <exception cref="AuthenticationResultsSyntaxException">The value is malformed; it says where.</exception>
    public static AuthenticationResultsHeader ParseArc(string headerValue) =>
        Parse(AuthenticationResultsSource.ArcAuthenticationResults, headerValue);

    /// <summary>Parses a Received-SPF value into a header with one <c>spf</c> result (RFC 7208 §9.1).</summary>
    /// <exception cref="AuthenticationResultsSyntaxException">The value is malformed; it says where.</exception>
    public static AuthenticationResultsHeader ParseReceivedSpf(string headerValue) =>
        Parse(AuthenticationResultsSource.ReceivedSpf, headerValue);

    /// <summary>Parses strictly without throwing; <paramref name="error"/> is set when the value is malformed.</summary>
    public static bool TryParse(string headerValue, out AuthenticationResultsHeader header, out AuthenticationResultsSyntaxException error) =>
        TryParse(headerValue, false, out header, out error);

    /// <summary>Parses without throwing; <paramref name="lenient"/> also reads a header without an authserv-id.</summary>
    public static bool TryParse(string headerValue, bool lenient, out AuthenticationResultsHeader header, out AuthenticationResultsSyntaxException error)
    {
        try
        {
            header = Parse(headerValue, lenient);
            error = null;
            return true;
        }
        catch (AuthenticationResultsSyntaxException ex)
        {
            header = null;
            error = ex;
            return false;
        }
    }

    /// <summary>
    /// Finds a leading "Authentication-Results:", "ARC-Authentication-Results:" or "Received-SPF:" field name.
    /// Without one, the text is taken as an Authentication-Results value.
    /// </summary>
    private static (AuthenticationResultsSource Source, int Offset) DetectFieldName(string text)
    {
        if (text == null) return (AuthenticationResultsSource.AuthenticationResults, 0);
        var i = 0;
        while (i < text.Length && IsWhiteSpace(text[i])) i++;
        var start = i;
        while (i < text.Length && (IsAsciiLetterOrDigit(text[i]) || text[i] == '-')) i++;
        var name = text.Substring(start, i - start);
        while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
        if (i >= text.Length || text[i] != ':') return (AuthenticationResultsSource.AuthenticationResults, 0);
        if (name.Equals("Authentication-Results", StringComparison.OrdinalIgnoreCase)) return (AuthenticationResultsSource.AuthenticationResults, i + 1);
        if (name.Equals("ARC-Authentication-Results", StringComparison.OrdinalIgnoreCase)) return (AuthenticationResultsSource.ArcAuthenticationResults, i + 1);
        if (name.Equals("Received-SPF", StringComparison.OrdinalIgnoreCase)) return (AuthenticationResultsSource.ReceivedSpf, i + 1);
        return (AuthenticationResultsSource.AuthenticationResults, 0);
    }

    internal static bool IsWhiteSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';

    internal static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

    /// <summary>RFC 5321 Let-dig / Ldh-str characters of a Keyword (RFC 8601 §2.2).</summary>
    internal static bool IsKeywordChar(char c) => IsAsciiLetterOrDigit(c) || c == '-' || c == '_';

    /// <summary>RFC 2045 token characters: CHAR except SPACE, CTLs and tspecials (non-ASCII allowed, RFC 6532).</summary>
    internal static bool IsTokenChar(char c) =>
        c > ' ' && c != 127 && "()<>@,;:\\\"/[]?=".IndexOf(c) < 0;

    /// <summary>RFC 5322 atext, plus "." and "@": the pvalue characters python3-authres also accepts.</summary>
    internal static bool IsPValueChar(char c) =>
        IsAsciiLetterOrDigit(c) || c >= 128 || "!#$%&'*+-/=?^_`{|}~.@".IndexOf(c) >= 0;

    private static readonly HashSet<string> ReceivedSpfResults = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "pass", "fail", "softfail", "neutral", "none", "temperror", "permerror",
    };

    /// <summary>A cursor over one header value.</summary>
    private sealed class Scanner
    {
        private readonly string _text;
        private readonly bool _lenient;
        private int _pos;

        public Scanner(string text, int offset, bool lenient)
        {
            _text = text ?? string.Empty;
            _pos = offset;
            _lenient = lenient;
        }

        private bool AtEnd => _pos >= _text.Length;
        private char Current => _text[_pos];

        private AuthenticationResultsSyntaxException Error(string expected, int? position = null) =>
            new AuthenticationResultsSyntaxException(expected, position ?? _pos, _text);

        public AuthenticationResultsHeader ParseArc()
        {
            SkipCfws(null);
            if (AtEnd || char.ToLowerInvariant(Current) != 'i') throw Error("the ARC instance tag 'i='");
            _pos++;
            SkipCfws(null);
            Expect('=', "'=' after 'i'");
            SkipCfws(null);
            var digitsAt = _pos;
            var digits = ReadDigits();
            if (digits == null) throw Error("the ARC instance number");
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var instance) || instance < 1 || instance > 50)
                throw Error("an ARC instance number from 1 to 50", digitsAt);
            SkipCfws(null);
            Expect(';', "';' after the ARC instance");
            return ParseAuthenticationResults(AuthenticationResultsSource.ArcAuthenticationResults, instance);
        }

        public AuthenticationResultsHeader ParseAuthenticationResults(AuthenticationResultsSource source, int? instance)
        {
            var headerComments = new List<string>();
            SkipCfws(headerComments);
            if (_lenient && StartsWithResult())
                return ParseResults(source, instance, null, null, headerComments, firstNeedsSemicolon: false);
            var authServId = ReadValue();
            if (string.IsNullOrEmpty(authServId)) throw Error("the authserv-id");
            SkipCfws(headerComments);
            int? version = null;
            var versionAt = _pos;
            var digits = ReadDigits();
            if (digits != null)
            {
                if (!AtEnd && !IsWhiteSpace(Current) && Current != ';' && Current != '(') throw Error("';' after the authserv-id", versionAt);
                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) throw Error("a version number", versionAt);
                version = v;
                SkipCfws(headerComments);
            }
            return ParseResults(source, instance, authServId, version, headerComments, firstNeedsSemicolon: true);
        }

        /// <summary>
        /// The results after the authserv-id (each after a ';'), or, for a header read leniently without an
        /// authserv-id, from the first result on.
        /// </summary>
        private AuthenticationResultsHeader ParseResults(AuthenticationResultsSource source, int? instance, string authServId, int? version,
            List<string> headerComments, bool firstNeedsSemicolon)
        {
            var results = new List<AuthenticationResult>();
            var sawNone = false;
            var needsSemicolon = firstNeedsSemicolon;
            while (true)
            {
                var pending = new List<string>();
                SkipCfws(pending);
                if (AtEnd)
                {
                    headerComments.AddRange(pending);
                    break;
                }
                if (needsSemicolon)
                {
                    if (Current != ';') throw Error(results.Count == 0 && !sawNone ? "';' after the authserv-id" : "';' before the next result or the end of the header");
                    _pos++;
                }
                needsSemicolon = true;
                SkipCfws(pending);
                if (AtEnd)
                {
                    // A trailing semicolon after the last result, as many receivers write.
                    if (results.Count == 0 && !sawNone) throw Error("a result or 'none' after ';'");
                    headerComments.AddRange(pending);
                    break;
                }
                if (Current == ';') throw Error("a result between the semicolons");
                if (sawNone) throw Error("the end of the header after 'none'");

                var methodAt = _pos;
                var method = ReadKeyword();
                if (method == null) throw Error("a method name (such as spf, dkim or dmarc) or 'none'");
                if (method.Equals("none", StringComparison.OrdinalIgnoreCase) && IsNoResultEnd())
                {
                    if (results.Count > 0) throw Error("a method name: 'none' stands only alone", methodAt);
                    sawNone = true;
                    headerComments.AddRange(pending);
                    continue;
                }
                results.Add(ParseResultInfo(method, pending));
            }

            return new AuthenticationResultsHeader(authServId, results, version, headerComments, source, instance, requireAuthServId: authServId != null || !_lenient);
        }

        /// <summary>True when the text here is a result ("method=" or "method/version="), not an authserv-id.</summary>
        private bool StartsWithResult()
        {
            var save = _pos;
            try
            {
                if (ReadKeyword() == null) return false;
                SkipCfws(null);
                return !AtEnd && (Current == '=' || Current == '/');
            }
            catch (AuthenticationResultsSyntaxException)
            {
                return false;
            }
            finally
            {
                _pos = save;
            }
        }

        /// <summary>True when 'none' is followed only by CFWS and then ';' or the end.</summary>
        private bool IsNoResultEnd()
        {
            var save = _pos;
            try
            {
                SkipCfws(null);
                return AtEnd || Current == ';';
            }
            catch (AuthenticationResultsSyntaxException)
            {
                return false;
            }
            finally
            {
                _pos = save;
            }
        }

        private AuthenticationResult ParseResultInfo(string method, List<string> comments)
        {
            SkipCfws(comments);
            int? methodVersion = null;
            if (!AtEnd && Current == '/')
            {
                _pos++;
                SkipCfws(comments);
                var at = _pos;
                var digits = ReadDigits();
                if (digits == null || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var mv)) throw Error("a method version number after '/'", at);
                methodVersion = mv;
                SkipCfws(comments);
            }
            Expect('=', $"'=' after the method '{method}'");
            SkipCfws(comments);
            var result = ReadKeyword();
            if (result == null) throw Error($"a result keyword for '{method}' (such as pass, fail or none)");
            SkipCfws(comments);

            string reason = null;
            var save = _pos;
            var word = ReadKeyword();
            if (word != null && word.Equals("reason", StringComparison.OrdinalIgnoreCase))
            {
                SkipCfws(comments);
                if (!AtEnd && Current == '=')
                {
                    _pos++;
                    SkipCfws(comments);
                    reason = ReadValue();
                    if (reason == null) throw Error("a reason value (a token or a quoted string)");
                    SkipCfws(comments);
                }
                else
                {
                    _pos = save;
                }
            }
            else
            {
                _pos = save;
            }

            var properties = new List<AuthenticationResultProperty>();
            while (true)
            {
                if (AtEnd || Current == ';') break;
                var ptype = ReadKeyword();
                if (ptype == null) throw Error("a property (ptype.property=value) or ';'");
                var propertyComments = new List<string>();
                SkipCfws(propertyComments);
                if (!AtEnd && Current == '=')
                {
                    // A property without a ptype ("version=TLSv1.2"): skipped, as python3-authres does.
                    _pos++;
                    SkipCfws(null);
                    ReadPValue();
                    SkipCfws(null);
                    continue;
                }
                if (AtEnd || Current != '.') throw Error($"'.' after the ptype '{ptype}' (as in smtp.mailfrom or header.d)");
                _pos++;
                SkipCfws(propertyComments);
                var name = ReadKeyword();
                if (name == null) throw Error($"a property name after '{ptype}.'");
                SkipCfws(propertyComments);
                Expect('=', $"'=' after '{ptype}.{name}'");
                SkipCfws(propertyComments);
                var valueAt = _pos;
                var value = ReadPValue();
                if (value == null) throw Error($"a value for '{ptype}.{name}'", valueAt);
                SkipCfws(propertyComments);
                properties.Add(new AuthenticationResultProperty(ptype, name, value, propertyComments.Count == 0 ? null : string.Join("; ", propertyComments)));
            }

            return new AuthenticationResult(method, result, properties, reason, comments, methodVersion);
        }

        public AuthenticationResultsHeader ParseReceivedSpf()
        {
            var comments = new List<string>();
            SkipCfws(null);
            var resultAt = _pos;
            var result = ReadKeyword();
            if (result == null || !ReceivedSpfResults.Contains(result))
                throw Error("an SPF result (pass, fail, softfail, neutral, none, temperror or permerror)", resultAt);
            SkipCfws(comments);
            var pairs = new List<AuthenticationResultProperty>();
            string receiver = null;
            while (!AtEnd)
            {
                var key = ReadReceivedSpfKey();
                if (key == null) throw Error("a key=value pair (such as client-ip=192.0.2.1)");
                SkipCfws(null);
                Expect('=', $"'=' after '{key}'");
                SkipCfws(null);
                string value;
                if (!AtEnd && Current == '"') value = ReadQuotedString();
                else
                {
                    var start = _pos;
                    while (!AtEnd && !IsWhiteSpace(Current) && Current != ';' && Current != '(' && Current != '"') _pos++;
                    value = _text.Substring(start, _pos - start);
                }
                if (value.Length == 0) throw Error($"a value for '{key}'");
                var pairComments = new List<string>();
                SkipCfws(pairComments);
                pairs.Add(new AuthenticationResultProperty(string.Empty, key, value, pairComments.Count == 0 ? null : string.Join("; ", pairComments)));
                if (key.Equals("receiver", StringComparison.OrdinalIgnoreCase)) receiver = value;
                if (AtEnd) break;
                Expect(';', "';' between key=value pairs");
                SkipCfws(null);
            }
            var spf = new AuthenticationResult("spf", result, pairs, reason: null, comments: comments);
            return new AuthenticationResultsHeader(receiver, new[] { spf }, source: AuthenticationResultsSource.ReceivedSpf);
        }

        /// <summary>RFC 7208 §9.1 key: a registered key or a name (ALPHA *(ALPHA / DIGIT / "-" / "_" / ".")).</summary>
        private string ReadReceivedSpfKey()
        {
            var start = _pos;
            if (AtEnd || !char.IsLetter(Current) || Current > 127) return null;
            while (!AtEnd && (IsKeywordChar(Current) || Current == '.')) _pos++;
            return _text.Substring(start, _pos - start);
        }

        private void Expect(char c, string expected)
        {
            if (AtEnd || Current != c) throw Error(expected);
            _pos++;
        }

        private string ReadDigits()
        {
            var start = _pos;
            while (!AtEnd && Current >= '0' && Current <= '9') _pos++;
            if (_pos == start) return null;
            if (!AtEnd && IsKeywordChar(Current))
            {
                _pos = start;
                return null;
            }
            return _text.Substring(start, _pos - start);
        }

        /// <summary>RFC 8601 Keyword: letters, digits and hyphens (underscores tolerated).</summary>
        private string ReadKeyword()
        {
            var start = _pos;
            while (!AtEnd && IsKeywordChar(Current)) _pos++;
            return _pos == start ? null : _text.Substring(start, _pos - start);
        }

        /// <summary>RFC 2045 value: token / quoted-string.</summary>
        private string ReadValue()
        {
            if (AtEnd) return null;
            if (Current == '"') return ReadQuotedString();
            var start = _pos;
            while (!AtEnd && IsTokenChar(Current)) _pos++;
            return _pos == start ? null : _text.Substring(start, _pos - start);
        }

        /// <summary>
        /// RFC 8601 pvalue: value / [ [local-part] "@" ] domain-name. Read as python3-authres does:
        /// quoted-string ["@" domain], or a run of atext, ".", "@" (which covers dot-atoms, tokens,
        /// addresses and base64 header.b values).
        /// </summary>
        private string ReadPValue()
        {
            if (!AtEnd && Current == '"')
            {
                var quoted = ReadQuotedString();
                if (!AtEnd && Current == '@')
                {
                    var domainStart = _pos;
                    _pos++;
                    while (!AtEnd && IsPValueChar(Current) && Current != '@') _pos++;
                    if (_pos == domainStart + 1) throw Error("a domain name after '@'");
                    return "\"" + quoted.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" + _text.Substring(domainStart, _pos - domainStart);
                }
                return quoted;
            }
            var start = _pos;
            while (!AtEnd && IsPValueChar(Current)) _pos++;
            return _text.Substring(start, _pos - start);
        }

        private string ReadQuotedString()
        {
            var open = _pos;
            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("'\"' to close the quoted string opened at position " + open.ToString(CultureInfo.InvariantCulture));
                var c = Current;
                if (c == '"')
                {
                    _pos++;
                    return sb.ToString();
                }
                if (c == '\\')
                {
                    _pos++;
                    if (AtEnd) throw Error("a character after '\\' in the quoted string");
                    sb.Append(Current);
                    _pos++;
                    continue;
                }
                if (c == '\r' || c == '\n')
                {
                    // Folding inside a quoted string unfolds to the whitespace that follows.
                    _pos++;
                    continue;
                }
                sb.Append(c);
                _pos++;
            }
        }

        /// <summary>Skips folding whitespace and comments; the text of each top-level comment goes to <paramref name="comments"/>.</summary>
        private void SkipCfws(List<string> comments)
        {
            while (!AtEnd)
            {
                var c = Current;
                if (IsWhiteSpace(c))
                {
                    _pos++;
                }
                else if (c == '(')
                {
                    var text = ReadComment();
                    comments?.Add(text);
                }
                else
                {
                    break;
                }
            }
        }

        /// <summary>RFC 5322 §3.2.2 comment: nested comments kept as text, quoted-pairs unescaped, folding unfolded.</summary>
        private string ReadComment()
        {
            var open = _pos;
            _pos++;
            var depth = 1;
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("')' to close the comment opened at position " + open.ToString(CultureInfo.InvariantCulture));
                var c = Current;
                if (c == '\\')
                {
                    _pos++;
                    if (AtEnd) throw Error("a character after '\\' in the comment");
                    sb.Append(Current);
                    _pos++;
                    continue;
                }
                _pos++;
                if (c == '(') depth++;
                else if (c == ')')
                {
                    depth--;
                    if (depth == 0) return CollapseWhiteSpace(sb.ToString());
                }
                if (c == '\r' || c == '\n') continue;
                sb.Append(c);
            }
        }

        private static string CollapseWhiteSpace(string text)
        {
            var sb = new StringBuilder(text.Length);
            var space = false;
            foreach (var c in text)
            {
                if (c == ' ' || c == '\t')
                {
                    space = true;
                    continue;
                }
                if (space && sb.Length > 0) sb.Append(' ');
                space = false;
                sb.Append(c);
            }
            return sb.ToString();
        }
    }
}
