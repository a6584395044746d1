using System;
using System.Net;

namespace MailAuth.ReportIntake;

/// <summary>How to reach an IMAP mailbox where aggregate reports arrive (RFC 9051/3501).</summary>
public sealed class ImapReportMailboxOptions
{
    /// <summary>The server's host name or address.</summary>
    public string Host { get; set; }

    /// <summary>The port; 0: 993 for TLS on connect, 143 for STARTTLS.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Connect in clear and upgrade with STARTTLS (RFC 9051 §6.2.1; the upgrade is required, never skipped) instead of
    /// TLS from the first byte (RFC 8314 implicit TLS, the default). The password never travels unencrypted.
    /// </summary>
    public bool StartTls { get; set; }

    /// <summary>Accept any server certificate (a self-signed test server). Off by default.</summary>
    public bool SkipCertificateCheck { get; set; }

    /// <summary>The user name and password to sign in with.</summary>
    public NetworkCredential Credential { get; set; }

    /// <summary>The folder to read; default INBOX.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>Only messages the server received on or after this day (IMAP SEARCH SINCE, day granularity); null: all.</summary>
    public DateTime? Since { get; set; }

    /// <summary>Open the folder read-only (EXAMINE) so nothing can change; false when messages are to be moved or deleted.</summary>
    public bool ReadOnly { get; set; } = true;

    /// <summary>Time allowed for each network operation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives one line per decision (server, capabilities, search); never a credential.</summary>
    public Action<string> Log { get; set; }

    /// <summary>The port used: <see cref="Port"/>, or the default of the TLS mode.</summary>
    public int EffectivePort => Port > 0 ? Port : StartTls ? 143 : 993;
}
