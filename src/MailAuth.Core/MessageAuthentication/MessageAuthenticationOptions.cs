using System.Net;
using MailAuth.Dmarc;

namespace MailAuth.MessageAuthentication;

/// <summary>The SMTP session a receiver saw for one message: what Test-MailAuthentication needs besides the message.</summary>
public sealed class MessageAuthenticationOptions
{
    /// <summary>The connecting client's address (the SPF &lt;ip&gt;, RFC 7208 §4.1).</summary>
    public IPAddress ClientIP { get; set; }

    /// <summary>The MAIL FROM address; null takes the message's Return-Path. An empty string is the null reverse-path.</summary>
    public string MailFrom { get; set; }

    /// <summary>The HELO/EHLO name, checked by SPF when MAIL FROM is empty and reported as smtp.helo.</summary>
    public string Helo { get; set; }

    /// <summary>The receiver's authserv-id written in the Authentication-Results header (RFC 8601 §2.5).</summary>
    public string AuthServId { get; set; } = "localhost";

    /// <summary>DMARC policy discovery: the RFC 9989 tree walk, or the legacy RFC 7489 public suffix list.</summary>
    public DmarcDiscoveryMode DiscoveryMode { get; set; } = DmarcDiscoveryMode.TreeWalk;

    /// <summary>Legacy mode: the pct= sample (0-99); null draws one at random (RFC 7489 §6.6.4).</summary>
    public int? PercentageSample { get; set; }
}
