using System;
using System.Globalization;
using System.Net;

namespace MailAuth.Common;

/// <summary>
/// Reads a client IP address as people write it: dotted-quad IPv4 (four decimal numbers) or IPv6, optionally
/// in brackets. Refuses the shorthand forms <see cref="IPAddress.TryParse(string, out IPAddress)"/> accepts
/// ("1" as 0.0.0.1, "10.1" as 10.0.0.1, hexadecimal parts) and IPv6 zone ids, which are never an SMTP client.
/// </summary>
public static class IPAddressText
{
    /// <summary>The address, or false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string text, out IPAddress address)
    {
        address = null;
        var s = text?.Trim() ?? string.Empty;
        if (s.StartsWith("[", StringComparison.Ordinal) && s.EndsWith("]", StringComparison.Ordinal)) s = s.Substring(1, s.Length - 2);
        if (s.Length == 0 || s.IndexOf('%') >= 0) return false;
        if (s.IndexOf(':') < 0 && !IsDottedQuad(s)) return false;
        return IPAddress.TryParse(s, out address);
    }

    private static bool IsDottedQuad(string s)
    {
        var parts = s.Split('.');
        if (parts.Length != 4) return false;
        foreach (var p in parts)
        {
            if (p.Length == 0 || p.Length > 3) return false;
            foreach (var c in p) if (c < '0' || c > '9') return false;
            if (int.Parse(p, CultureInfo.InvariantCulture) > 255) return false;
        }
        return true;
    }
}
