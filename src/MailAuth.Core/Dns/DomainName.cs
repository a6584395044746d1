using System;
using System.Globalization;
using MailAuth.Records;

namespace MailAuth.Dns;

/// <summary>
/// Domain-name input handling: trims a trailing dot, converts IDNs to A-labels (RFC 5891),
/// lower-cases, and checks the RFC 1035 length limits. Underscore labels (<c>_dmarc</c>,
/// <c>_domainkey</c>) are allowed, since they are what mail authentication is made of.
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

    /// <summary>The domain part of an address (<c>user@example.com</c>), or the input when it has no '@'.</summary>
    public static string FromAddressOrDomain(string addressOrDomain)
    {
        if (addressOrDomain == null) return null;
        var s = addressOrDomain.Trim().Trim('<', '>');
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
