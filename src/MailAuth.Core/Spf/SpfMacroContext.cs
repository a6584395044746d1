using System;
using System.Net;

namespace MailAuth.Spf;

/// <summary>The values the macro letters of RFC 7208 §7.3 stand for, during one check_host() call.</summary>
public sealed class SpfMacroContext
{
    public SpfMacroContext(IPAddress ip, string sender, string domain, string helo)
    {
        Ip = ip ?? throw new ArgumentNullException(nameof(ip));
        Sender = sender ?? string.Empty;
        var at = Sender.LastIndexOf('@');
        LocalPart = at > 0 ? Sender.Substring(0, at) : "postmaster";
        SenderDomain = at >= 0 ? Sender.Substring(at + 1) : Sender;
        Domain = domain ?? string.Empty;
        Helo = string.IsNullOrEmpty(helo) ? "unknown" : helo;
    }

    /// <summary>%{i}, %{c}, %{v}: the client address.</summary>
    public IPAddress Ip { get; }

    /// <summary>%{s}: the sender, local-part@domain.</summary>
    public string Sender { get; }

    /// <summary>%{l}: the local-part of the sender ("postmaster" when it has none, §4.3).</summary>
    public string LocalPart { get; }

    /// <summary>%{o}: the domain of the sender.</summary>
    public string SenderDomain { get; }

    /// <summary>%{d}: the domain whose record is being evaluated.</summary>
    public string Domain { get; set; }

    /// <summary>%{h}: the HELO/EHLO domain.</summary>
    public string Helo { get; }

    /// <summary>%{p}: the validated domain name of the client (§5.5), or "unknown".</summary>
    public string ValidatedName { get; set; }

    /// <summary>%{r}: the receiving host's domain (explanations only).</summary>
    public string Receiver { get; set; } = "unknown";

    /// <summary>%{t}: the current time (explanations only).</summary>
    public DateTimeOffset Timestamp { get; set; } = DateTimeOffset.UtcNow;
}
