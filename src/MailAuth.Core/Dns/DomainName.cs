using System;
using System.Globalization;
using System.Text;
using MailAuth.Common;

namespace MailAuth.Dns;

/// <summary>
/// Domain names as text. Input from people: trims a trailing dot, converts IDNs to A-labels (RFC 5891),
/// lower-cases, and checks the RFC 1035 length limits; underscore labels (<c>_dmarc</c>, <c>_domainkey</c>)
/// are allowed, since they are what mail authentication is made of. Names from the DNS: a label is any
/// octets (RFC 2181 §11), so a name read off the wire is shown in the master-file form of RFC 1035 §5.1:
/// printable ASCII as is (letters in lower case, since DNS compares them without case, RFC 4343 §3),
/// a dot or backslash inside a label as <c>\.</c> and <c>\</c>, and every other octet (space, controls,
/// 0x7F and above) as <c>\DDD</c> in decimal, e.g. <c>­</c>. Such a name is asked again as exactly its
/// octets. No trailing dot; the root is the empty string.
/// </summary>
public static class DomainName
{
    private static readonly IdnMapping Idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = false };

    /// <summary>Error id for an input that is not a usable domain name.</summary>
    public const string InvalidDomainNameErrorId = "InvalidDomainName";

    /// <summary>Normalizes <paramref name="input"/> or throws <see cref="MailAuthInputException"/>.</summary>
    /// <exception cref="MailAuthInputException">Not a usable domain name (<see cref="InvalidDomainNameErrorId"/>).</exception>
    public static string Normalize(string input)
    {
        if (TryNormalize(input, out var name, out var error)) return name;
        throw new MailAuthInputException(InvalidDomainNameErrorId, error, input);
    }

    /// <summary>Normalizes <paramref name="input"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryNormalize(string input, out string name, out string error)
    {
        name = null;
        if (input == null || input.Trim().Length == 0)
        {
            error = "The domain name is empty.";
            return false;
        }

        var s = input.Trim();
        if (s.EndsWith(".", StringComparison.Ordinal)) s = s.Substring(0, s.Length - 1);
        if (s.Length == 0 || s.StartsWith(".", StringComparison.Ordinal) || s.EndsWith(".", StringComparison.Ordinal) || s.Contains(".."))
        {
            error = $"'{input}' is not a domain name: it has an empty label.";
            return false;
        }

        if (s.IndexOf('@') >= 0 || s.IndexOf('/') >= 0 || s.IndexOf(':') >= 0 || s.IndexOf(' ') >= 0)
        {
            error = $"'{input}' is not a domain name (it contains '@', '/', ':' or a space). Give the domain alone, e.g. example.com.";
            return false;
        }

        bool ascii = true;
        foreach (var c in s) if (c > 0x7f) { ascii = false; break; }
        if (!ascii)
        {
            try { s = Idn.GetAscii(s); }
            catch (ArgumentException ex)
            {
                error = $"'{input}' is not a valid internationalized domain name: {ex.Message}";
                return false;
            }
            // IDNA maps some characters to nothing (U+FEFF, U+200B), which can leave a trailing dot only now.
            if (s.EndsWith(".", StringComparison.Ordinal)) s = s.Substring(0, s.Length - 1);
        }

        s = s.ToLowerInvariant();
        if (s.Length > 253)
        {
            error = $"'{input}' is longer than the 253 characters a domain name may have (RFC 1035 §2.3.4).";
            return false;
        }

        foreach (var label in s.Split('.'))
        {
            if (label.Length == 0)
            {
                error = $"'{input}' is not a domain name: it has an empty label.";
                return false;
            }
            if (label.Length > 63)
            {
                error = $"'{input}' has a label of {label.Length} characters; a label may have at most 63 (RFC 1035 §2.3.4).";
                return false;
            }
            foreach (var c in label)
            {
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok)
                {
                    error = $"'{input}' contains '{c}', which a host name may not contain.";
                    return false;
                }
            }
        }

        name = s;
        error = null;
        return true;
    }

    /// <summary>
    /// Writes <paramref name="name"/> (RFC 1035 §5.1 text: labels separated by dots, <c>\DDD</c> and <c>\X</c>
    /// escapes, an optional trailing dot) as wire-format labels (RFC 1035 §3.1) at <paramref name="offset"/>
    /// of <paramref name="buffer"/>, which must hold at least 255 octets from there. Characters outside ASCII
    /// are written as their UTF-8 octets. Returns false, with <paramref name="error"/> saying why, for a name
    /// that cannot be sent: an empty label, a label over 63 octets, a name over 255 octets, a bad escape.
    /// </summary>
    internal static bool TryWriteWire(string name, byte[] buffer, ref int offset, out string error)
    {
        name = name ?? string.Empty;
        int start = offset;
        int i = offset;
        int end = TrimmedLength(name);
        int at = 0;
        var utf8 = new byte[4];
        while (at < end)
        {
            int lengthAt = i++;
            while (at < end && name[at] != '.')
            {
                char c = name[at];
                if (c == '\\')
                {
                    if (at + 1 >= end) { error = $"\"{name}\" ends with a lone backslash (RFC 1035 §5.1)."; return false; }
                    if (IsDigit(name, at + 1))
                    {
                        if (!IsDigit(name, at + 2) || !IsDigit(name, at + 3))
                        {
                            error = $"\"{name}\" has an escape \\D that is not three decimal digits (RFC 1035 §5.1).";
                            return false;
                        }
                        int value = (name[at + 1] - '0') * 100 + (name[at + 2] - '0') * 10 + (name[at + 3] - '0');
                        if (value > 255) { error = $"\"{name}\" has the escape \\{name.Substring(at + 1, 3)}, above 255 (RFC 1035 §5.1)."; return false; }
                        if (!Put(buffer, ref i, start, (byte)value, name, out error)) return false;
                        at += 4;
                        continue;
                    }
                    at++; // \X is the character X itself
                    c = name[at];
                }
                if (c < 0x80)
                {
                    if (!Put(buffer, ref i, start, (byte)c, name, out error)) return false;
                    at++;
                    continue;
                }
                int chars = char.IsHighSurrogate(c) && at + 1 < end && char.IsLowSurrogate(name[at + 1]) ? 2 : 1;
                int n = Encoding.UTF8.GetBytes(name, at, chars, utf8, 0);
                for (int k = 0; k < n; k++)
                    if (!Put(buffer, ref i, start, utf8[k], name, out error)) return false;
                at += chars;
            }
            int length = i - lengthAt - 1;
            if (length == 0) { error = $"\"{name}\" has an empty label (RFC 1035 §3.1)."; return false; }
            if (length > 63) { error = $"\"{name}\" has a label of {length} octets; a label may have at most 63 (RFC 1035 §2.3.4)."; return false; }
            buffer[lengthAt] = (byte)length;
            at++; // the dot between labels, or past the end
        }
        buffer[i++] = 0;
        offset = i;
        error = null;
        return true;
    }

    private static bool Put(byte[] buffer, ref int i, int start, byte octet, string name, out string error)
    {
        // 255 octets in all, with the length octet of each label and the root's zero (RFC 1035 §2.3.4).
        if (i - start >= 254)
        {
            error = $"\"{name}\" is longer than 255 octets (RFC 1035 §2.3.4).";
            return false;
        }
        buffer[i++] = octet;
        error = null;
        return true;
    }

    private static bool IsDigit(string s, int i) => i < s.Length && s[i] >= '0' && s[i] <= '9';

    /// <summary>
    /// Appends one label of <paramref name="length"/> octets at <paramref name="offset"/> of <paramref name="data"/>
    /// in the text form of RFC 1035 §5.1 (see the class summary), ASCII letters in lower case (RFC 4343 §3).
    /// </summary>
    internal static void AppendLabel(StringBuilder text, byte[] data, int offset, int length)
    {
        for (int k = offset; k < offset + length; k++)
        {
            byte b = data[k];
            if (b == '.' || b == '\\')
            {
                text.Append('\\').Append((char)b);
            }
            else if (b > 0x20 && b < 0x7F)
            {
                text.Append(b >= 'A' && b <= 'Z' ? (char)(b + 32) : (char)b);
            }
            else
            {
                text.Append('\\');
                text.Append((char)('0' + b / 100)).Append((char)('0' + b / 10 % 10)).Append((char)('0' + b % 10));
            }
        }
    }

    /// <summary>The length of <paramref name="name"/> without its trailing dots; an escaped dot (<c>\.</c>) stays.</summary>
    internal static int TrimmedLength(string name)
    {
        int end = name.Length;
        while (end > 0 && name[end - 1] == '.' && !IsEscaped(name, end - 1)) end--;
        return end;
    }

    /// <summary>Whether the character at <paramref name="index"/> follows an odd number of backslashes.</summary>
    private static bool IsEscaped(string name, int index)
    {
        int backslashes = 0;
        for (int k = index - 1; k >= 0 && name[k] == '\\'; k--) backslashes++;
        return backslashes % 2 == 1;
    }

    /// <summary>The domain part of an address (<c>user@example.com</c>), or the input when it has no '@'.</summary>
    public static string FromAddressOrDomain(string addressOrDomain)
    {
        if (addressOrDomain == null) return null;
        var s = addressOrDomain.Trim().Trim(TrimChars.AngleBrackets);
        var at = s.LastIndexOf('@');
        return at >= 0 ? s.Substring(at + 1) : s;
    }

    /// <summary>True when <paramref name="name"/> equals <paramref name="parent"/> or lies below it.</summary>
    public static bool IsAtOrBelow(string name, string parent)
    {
        if (name == null || parent == null) return false;
        name = name.TrimEnd('.');
        parent = parent.TrimEnd('.');
        return string.Equals(name, parent, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase);
    }
}
