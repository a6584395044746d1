using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailAuth.Spf;

/// <summary>
/// Validates and expands SPF macro-strings (RFC 7208 §7): the letters s l o d i p h v (and c r t in
/// explanations only), the digit and "r" transformers, the delimiters <c>. - + , / _ =</c>, URL escaping
/// for upper-case letters, and the escapes %%, %_ and %-.
/// </summary>
public static class MacroExpander
{
    /// <summary>Expansions longer than this stop with a PermError: no legitimate record needs more.</summary>
    public const int MaxExpansionLength = 8192;

    private const string Delimiters = ".-+,/_=";

    /// <summary>True when <paramref name="text"/> is a valid macro-string (§7.1); <paramref name="explanation"/> also allows c, r, t and spaces.</summary>
    public static bool IsValidMacroString(string text, bool explanation, out string error) =>
        Process(text, null, explanation, null, out error, out _);

    /// <summary>
    /// True when <paramref name="text"/> is a valid domain-spec (§4.6.1, §7.1): a macro-string ending either
    /// in a macro-expand or in "." and a top label that is not all digits.
    /// </summary>
    public static bool IsValidDomainSpec(string text, out string error)
    {
        if (string.IsNullOrEmpty(text)) { error = "the domain-spec is empty"; return false; }
        if (!Process(text, null, false, null, out error, out var endsWithMacro)) return false;
        if (endsWithMacro) return true;
        var s = text.EndsWith(".", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;
        var dot = s.LastIndexOf('.');
        var top = dot >= 0 ? s.Substring(dot + 1) : s;
        if (dot < 0 || top.Length == 0 || !IsTopLabel(top) || s.LastIndexOf('%') > dot)
        {
            error = $"'{text}' must end in a macro or in a '.' followed by a top-level label such as 'com' (RFC 7208 §7.1); a bare IP address or single label is not a domain-spec";
            return false;
        }
        return true;
    }

    /// <summary>Expands <paramref name="text"/> for <paramref name="context"/>; false with a reason when the macro syntax is invalid.</summary>
    public static bool TryExpand(string text, SpfMacroContext context, bool explanation, out string expanded, out string error)
    {
        if (context == null) throw new ArgumentNullException(nameof(context));
        if (text.IndexOf('%') < 0)
        {
            if (!Process(text, null, explanation, null, out error, out _)) { expanded = null; return false; }
            expanded = text;
            return true;
        }
        var sb = new StringBuilder(text.Length + 32);
        if (!Process(text, context, explanation, sb, out error, out _)) { expanded = null; return false; }
        expanded = sb.ToString();
        return true;
    }

    /// <summary>
    /// RFC 7208 §7.3: a target name longer than 253 characters loses labels from the left until it fits.
    /// Also drops one trailing dot.
    /// </summary>
    public static string TruncateDomain(string name)
    {
        if (name.EndsWith(".", StringComparison.Ordinal)) name = name.Substring(0, name.Length - 1);
        while (name.Length > 253)
        {
            var dot = name.IndexOf('.');
            if (dot < 0) return name.Substring(name.Length - 253);
            name = name.Substring(dot + 1);
        }
        return name;
    }

    private static bool IsTopLabel(string label)
    {
        bool alpha = false, hyphen = false;
        foreach (var c in label)
        {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) alpha = true;
            else if (c == '-') hyphen = true;
            else if (c < '0' || c > '9') return false;
        }
        if (label[0] == '-' || label[label.Length - 1] == '-') return false;
        return alpha || hyphen;
    }

    private static bool Process(string s, SpfMacroContext ctx, bool explanation, StringBuilder sb, out string error, out bool endsWithMacro)
    {
        error = null;
        endsWithMacro = false;
        if (s == null) { error = "missing macro-string"; return false; }
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            endsWithMacro = false;
            if (c != '%')
            {
                if ((c >= 0x21 && c <= 0x7e) || (explanation && c == ' '))
                {
                    sb?.Append(c);
                    continue;
                }
                error = c > 0x7e
                    ? $"the character U+{(int)c:X4} is not ASCII; SPF records are 7-bit ASCII (RFC 7208 §3.1)"
                    : $"the character U+{(int)c:X4} is not allowed in a macro-string (RFC 7208 §7.1)";
                return false;
            }

            if (i + 1 >= s.Length) { error = $"'{s}' ends in a lone '%'; write '%%' for a percent sign (RFC 7208 §7.1)"; return false; }
            char n = s[++i];
            endsWithMacro = true;
            if (n == '%') { sb?.Append('%'); continue; }
            if (n == '_') { sb?.Append(' '); continue; }
            if (n == '-') { sb?.Append("%20"); continue; }
            if (n != '{') { error = $"'%{n}' is not a macro; use %{{letter}}, %%, %_ or %- (RFC 7208 §7.1)"; return false; }

            int close = s.IndexOf('}', i + 1);
            if (close < 0) { error = $"a macro in '{s}' is not closed with '}}' (RFC 7208 §7.1)"; return false; }
            if (close == i + 1) { error = $"'%{{}}' has no macro letter (RFC 7208 §7.1)"; return false; }
            char letter = s[i + 1];
            char lower = char.ToLowerInvariant(letter);
            bool known = "slodiphv".IndexOf(lower) >= 0 || (explanation && "crt".IndexOf(lower) >= 0);
            if (!known || letter > 0x7e)
            {
                error = "crt".IndexOf(lower) >= 0
                    ? $"the macro letter '{letter}' may only be used in an explanation (exp= TXT record), not in a domain-spec (RFC 7208 §7.2)"
                    : $"'{letter}' is not a macro letter (RFC 7208 §7.2)";
                return false;
            }

            int j = i + 2;
            int digits = 0;
            bool hasDigits = false;
            while (j < close && s[j] >= '0' && s[j] <= '9')
            {
                hasDigits = true;
                if (digits < 1000) digits = digits * 10 + (s[j] - '0');
                j++;
            }
            if (hasDigits && digits == 0) { error = $"the macro '{s.Substring(i - 1, close - i + 2)}' keeps zero labels; the number must be at least 1 (RFC 7208 §7.3)"; return false; }
            bool reverse = false;
            if (j < close && (s[j] == 'r' || s[j] == 'R')) { reverse = true; j++; }
            string delimiters = null;
            for (int k = j; k < close; k++)
            {
                if (Delimiters.IndexOf(s[k]) < 0) { error = $"'{s[k]}' is not a macro delimiter; use one of {Delimiters} (RFC 7208 §7.1)"; return false; }
            }
            if (j < close) delimiters = s.Substring(j, close - j);

            if (sb != null)
            {
                var value = LetterValue(lower, ctx);
                if (hasDigits || reverse || delimiters != null) value = Transform(value, hasDigits ? digits : 0, reverse, delimiters ?? ".");
                if (letter != lower) value = UrlEscape(value);
                sb.Append(value);
                if (sb.Length > MaxExpansionLength)
                {
                    error = $"the macros of '{(s.Length > 80 ? s.Substring(0, 80) + "..." : s)}' expand to more than {MaxExpansionLength} characters";
                    return false;
                }
            }
            i = close;
        }
        return true;
    }

    private static string LetterValue(char letter, SpfMacroContext ctx)
    {
        switch (letter)
        {
            case 's': return ctx.Sender;
            case 'l': return ctx.LocalPart;
            case 'o': return ctx.SenderDomain;
            case 'd': return ctx.Domain;
            case 'i': return DottedAddress(ctx.Ip);
            case 'p': return string.IsNullOrEmpty(ctx.ValidatedName) ? "unknown" : ctx.ValidatedName;
            case 'h': return ctx.Helo;
            case 'v': return ctx.Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr";
            case 'c': return ctx.Ip.ToString();
            case 'r': return string.IsNullOrEmpty(ctx.Receiver) ? "unknown" : ctx.Receiver;
            case 't': return ctx.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            default: return string.Empty;
        }
    }

    /// <summary>%{i}: dotted-quad for IPv4, dot-separated nibbles for IPv6, upper-case hex as in the examples of RFC 7208 §7.4.</summary>
    public static string DottedAddress(IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip.ToString();
        var bytes = ip.GetAddressBytes();
        var chars = new char[63];
        const string hex = "0123456789ABCDEF";
        for (int b = 0; b < 16; b++)
        {
            chars[b * 4] = hex[bytes[b] >> 4];
            if (b * 4 + 1 < 63) chars[b * 4 + 1] = '.';
            chars[b * 4 + 2] = hex[bytes[b] & 0xf];
            if (b * 4 + 3 < 63) chars[b * 4 + 3] = '.';
        }
        return new string(chars);
    }

    private static string Transform(string value, int keep, bool reverse, string delimiters)
    {
        var parts = value.Split(delimiters.ToCharArray());
        if (reverse) Array.Reverse(parts);
        int start = keep > 0 && keep < parts.Length ? parts.Length - keep : 0;
        return string.Join(".", parts, start, parts.Length - start);
    }

    private static string UrlEscape(string value)
    {
        var sb = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) sb.Append(c);
            else sb.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
