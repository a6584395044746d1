using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailAuth.Spf;

/// <summary>
/// Parses SPF record text by the ABNF of RFC 7208 §12: qualifiers, the eight mechanisms with their
/// domain-specs and dual CIDR lengths, modifiers (redirect and exp at most once, unknown ones with a
/// valid macro-string), and macro syntax. Any error makes the whole record invalid (§4.6).
/// </summary>
public static class SpfRecordParser
{
    /// <summary>Parses <paramref name="text"/> or throws <see cref="SpfSyntaxException"/>.</summary>
    /// <exception cref="SpfSyntaxException">The text is not a valid SPF record (RFC 7208 §12); it names the bad term.</exception>
    public static SpfRecord Parse(string text)
    {
        if (TryParse(text, out var record, out var error, out var term)) return record;
        throw new SpfSyntaxException(error, term);
    }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string text, out SpfRecord record, out string error) => TryParse(text, out record, out error, out _);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and <paramref name="badTerm"/> names the term.</summary>
    public static bool TryParse(string text, out SpfRecord record, out string error, out string badTerm)
    {
        record = null;
        badTerm = null;
        if (!SpfRecord.IsSpfRecord(text))
        {
            error = "the record does not start with \"v=spf1\" followed by a space (RFC 7208 §4.5)";
            return false;
        }

        var terms = new List<SpfTerm>();
        bool hasRedirect = false, hasExp = false;
        int i = 6;
        while (i < text.Length)
        {
            if (text[i] == ' ') { i++; continue; }
            int end = text.IndexOf(' ', i);
            if (end < 0) end = text.Length;
            var token = text.Substring(i, end - i);
            i = end;
            if (!TryParseTerm(token, out var term, out error))
            {
                badTerm = token;
                return false;
            }
            if (term is SpfModifier m)
            {
                if (m.IsRedirect && hasRedirect || m.IsExplanation && hasExp)
                {
                    badTerm = token;
                    error = $"the record has more than one {m.Name}= modifier; keep only one (RFC 7208 §6)";
                    return false;
                }
                hasRedirect |= m.IsRedirect;
                hasExp |= m.IsExplanation;
            }
            terms.Add(term);
        }
        record = new SpfRecord(text, terms);
        error = null;
        return true;
    }

    /// <summary>Parses one term (a directive or a modifier).</summary>
    public static bool TryParseTerm(string token, out SpfTerm term, out string error)
    {
        term = null;
        if (string.IsNullOrEmpty(token))
        {
            error = "an empty term: a term is a mechanism or a modifier, and terms are separated by spaces (RFC 7208 §4.6.1)";
            return false;
        }
        foreach (var ch in token)
        {
            if (ch < 0x21 || ch > 0x7e)
            {
                error = ch > 0x7e
                    ? $"the term '{Printable(token)}' contains the non-ASCII character U+{(int)ch:X4}; SPF records are 7-bit ASCII (RFC 7208 §3.1)"
                    : $"the term '{Printable(token)}' contains the control character U+{(int)ch:X4}; terms are separated by spaces only (RFC 7208 §12)";
                return false;
            }
        }

        int p = 0;
        SpfQualifier qualifier = SpfQualifier.Pass;
        bool explicitQualifier = false;
        switch (token[0])
        {
            case '+': qualifier = SpfQualifier.Pass; explicitQualifier = true; break;
            case '-': qualifier = SpfQualifier.Fail; explicitQualifier = true; break;
            case '~': qualifier = SpfQualifier.SoftFail; explicitQualifier = true; break;
            case '?': qualifier = SpfQualifier.Neutral; explicitQualifier = true; break;
        }
        if (explicitQualifier) p = 1;

        int nameEnd = p;
        if (nameEnd < token.Length && IsAlpha(token[nameEnd]))
        {
            nameEnd++;
            while (nameEnd < token.Length && (IsAlpha(token[nameEnd]) || char.IsDigit(token[nameEnd]) || token[nameEnd] == '-' || token[nameEnd] == '_' || token[nameEnd] == '.')) nameEnd++;
        }
        if (nameEnd == p)
        {
            error = $"'{token}' is neither a mechanism nor a modifier (RFC 7208 §4.6.1)";
            return false;
        }

        var name = token.Substring(p, nameEnd - p);
        if (nameEnd < token.Length && token[nameEnd] == '=')
        {
            if (explicitQualifier)
            {
                error = $"'{token}': a modifier takes no qualifier (RFC 7208 §4.6.1)";
                return false;
            }
            var value = token.Substring(nameEnd + 1);
            var modifier = new SpfModifier(token, name, value);
            if (modifier.IsRedirect || modifier.IsExplanation)
            {
                if (!MacroExpander.IsValidDomainSpec(value, out var specError))
                {
                    error = $"'{token}': {specError}";
                    return false;
                }
            }
            else if (!MacroExpander.IsValidMacroString(value, false, out var macroError))
            {
                error = $"'{token}': {macroError}";
                return false;
            }
            term = modifier;
            error = null;
            return true;
        }

        var rest = token.Substring(nameEnd);
        SpfMechanismKind kind;
        switch (name.ToLowerInvariant())
        {
            case "all": kind = SpfMechanismKind.All; break;
            case "include": kind = SpfMechanismKind.Include; break;
            case "a": kind = SpfMechanismKind.A; break;
            case "mx": kind = SpfMechanismKind.Mx; break;
            case "ptr": kind = SpfMechanismKind.Ptr; break;
            case "ip4": kind = SpfMechanismKind.Ip4; break;
            case "ip6": kind = SpfMechanismKind.Ip6; break;
            case "exists": kind = SpfMechanismKind.Exists; break;
            default:
                error = $"'{token}': '{name}' is not a mechanism; the mechanisms are all, include, a, mx, ptr, ip4, ip6 and exists (RFC 7208 §5)";
                return false;
        }
        return TryParseMechanism(token, qualifier, kind, rest, out term, out error);
    }

    private static bool TryParseMechanism(string token, SpfQualifier qualifier, SpfMechanismKind kind, string rest, out SpfTerm term, out string error)
    {
        term = null;
        error = null;
        switch (kind)
        {
            case SpfMechanismKind.All:
                if (rest.Length != 0) { error = $"'{token}': \"all\" takes no argument (RFC 7208 §5.1)"; return false; }
                term = new SpfMechanism(token, qualifier, kind, null, null, null, null);
                return true;

            case SpfMechanismKind.Include:
            case SpfMechanismKind.Exists:
            case SpfMechanismKind.Ptr:
            {
                string spec = null;
                if (rest.Length > 0)
                {
                    if (rest[0] != ':') { error = $"'{token}': expected ':' and a domain (RFC 7208 §5)"; return false; }
                    spec = rest.Substring(1);
                    if (!MacroExpander.IsValidDomainSpec(spec, out var specError)) { error = $"'{token}': {specError}"; return false; }
                }
                else if (kind != SpfMechanismKind.Ptr)
                {
                    error = $"'{token}': \"{kind.ToString().ToLowerInvariant()}\" needs a domain, e.g. {kind.ToString().ToLowerInvariant()}:example.com (RFC 7208 §5)";
                    return false;
                }
                term = new SpfMechanism(token, qualifier, kind, spec, null, null, null);
                return true;
            }

            case SpfMechanismKind.A:
            case SpfMechanismKind.Mx:
            {
                string spec = null;
                string cidrPart = rest;
                if (rest.Length > 0 && rest[0] == ':')
                {
                    var arg = rest.Substring(1);
                    int cut = CidrSuffixStart(arg);
                    spec = arg.Substring(0, cut);
                    cidrPart = arg.Substring(cut);
                    if (!MacroExpander.IsValidDomainSpec(spec, out var specError)) { error = $"'{token}': {specError}"; return false; }
                }
                else if (rest.Length > 0 && rest[0] != '/')
                {
                    error = $"'{token}': expected ':' and a domain or '/' and a prefix length (RFC 7208 §5.3)";
                    return false;
                }
                if (!TryParseDualCidr(cidrPart, out var v4, out var v6, out error)) { error = $"'{token}': {error}"; return false; }
                term = new SpfMechanism(token, qualifier, kind, spec, null, v4, v6);
                return true;
            }

            case SpfMechanismKind.Ip4:
            case SpfMechanismKind.Ip6:
            {
                if (rest.Length < 2 || rest[0] != ':') { error = $"'{token}': expected ':' and a network, e.g. {(kind == SpfMechanismKind.Ip4 ? "ip4:192.0.2.0/24" : "ip6:2001:db8::/32")} (RFC 7208 §5.6)"; return false; }
                var arg = rest.Substring(1);
                int? cidr = null;
                int slash = arg.IndexOf('/');
                if (slash >= 0)
                {
                    int max = kind == SpfMechanismKind.Ip4 ? 32 : 128;
                    if (!TryParseCidr(arg.Substring(slash + 1), max, out var len)) { error = $"'{token}': the prefix length must be a number from 0 to {max} without leading zeros (RFC 7208 §5.6)"; return false; }
                    cidr = len;
                    arg = arg.Substring(0, slash);
                }
                IPAddress address;
                if (kind == SpfMechanismKind.Ip4 ? !TryParseIp4(arg, out address) : !TryParseIp6(arg, out address))
                {
                    error = $"'{token}': '{arg}' is not an {(kind == SpfMechanismKind.Ip4 ? "IPv4" : "IPv6")} address (RFC 7208 §5.6)";
                    return false;
                }
                term = kind == SpfMechanismKind.Ip4
                    ? new SpfMechanism(token, qualifier, kind, null, address, cidr, null)
                    : new SpfMechanism(token, qualifier, kind, null, address, null, cidr);
                return true;
            }
        }
        error = $"'{token}' is not a mechanism";
        return false;
    }

    /// <summary>Where the dual-cidr-length ("/n", "//n" or "/n//m") at the end of an a/mx argument begins.</summary>
    private static int CidrSuffixStart(string arg)
    {
        int end = arg.Length;
        int k = end;
        while (k > 0 && char.IsDigit(arg[k - 1])) k--;
        if (k < end && k >= 2 && arg[k - 1] == '/' && arg[k - 2] == '/')
        {
            end = k - 2;
            k = end;
            while (k > 0 && char.IsDigit(arg[k - 1])) k--;
        }
        if (k < end && k >= 1 && arg[k - 1] == '/' && (k < 2 || arg[k - 2] != '/')) return k - 1;
        return end;
    }

    private static bool TryParseDualCidr(string s, out int? v4, out int? v6, out string error)
    {
        v4 = v6 = null;
        error = null;
        if (s.Length == 0) return true;
        if (s.StartsWith("//", StringComparison.Ordinal))
        {
            if (!TryParseCidr(s.Substring(2), 128, out var l6)) { error = "the IPv6 prefix length must be a number from 0 to 128 without leading zeros (RFC 7208 §5.6)"; return false; }
            v6 = l6;
            return true;
        }
        if (s[0] != '/') { error = "expected a prefix length after '/' (RFC 7208 §5.6)"; return false; }
        var body = s.Substring(1);
        int dbl = body.IndexOf("//", StringComparison.Ordinal);
        var four = dbl >= 0 ? body.Substring(0, dbl) : body;
        if (!TryParseCidr(four, 32, out var l4)) { error = "the IPv4 prefix length must be a number from 0 to 32 without leading zeros (RFC 7208 §5.6)"; return false; }
        v4 = l4;
        if (dbl >= 0)
        {
            if (!TryParseCidr(body.Substring(dbl + 2), 128, out var l6)) { error = "the IPv6 prefix length must be a number from 0 to 128 without leading zeros (RFC 7208 §5.6)"; return false; }
            v6 = l6;
        }
        return true;
    }

    private static bool TryParseCidr(string s, int max, out int length)
    {
        length = 0;
        if (s.Length == 0 || s.Length > 3) return false;
        if (s.Length > 1 && s[0] == '0') return false;
        foreach (var c in s) if (c < '0' || c > '9') return false;
        length = int.Parse(s, CultureInfo.InvariantCulture);
        return length <= max;
    }

    /// <summary>A strict dotted quad (RFC 7208 §12 ip4-network): four decimal octets without leading zeros.</summary>
    internal static bool TryParseIp4(string s, out IPAddress address)
    {
        address = null;
        var parts = s.Split('.');
        if (parts.Length != 4) return false;
        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length == 0 || part.Length > 3 || (part.Length > 1 && part[0] == '0')) return false;
            int v = 0;
            foreach (var c in part)
            {
                if (c < '0' || c > '9') return false;
                v = v * 10 + (c - '0');
            }
            if (v > 255) return false;
            bytes[i] = (byte)v;
        }
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>An IPv6 address in RFC 4291 text form, without a zone index.</summary>
    internal static bool TryParseIp6(string s, out IPAddress address)
    {
        address = null;
        if (s.IndexOf(':') < 0 || s.IndexOf('%') >= 0 || s.IndexOf('[') >= 0) return false;
        return IPAddress.TryParse(s, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static string Printable(string s)
    {
        var chars = s.ToCharArray();
        for (int i = 0; i < chars.Length; i++) if (chars[i] < 0x20 || chars[i] == 0x7f) chars[i] = '?';
        return new string(chars);
    }
}
