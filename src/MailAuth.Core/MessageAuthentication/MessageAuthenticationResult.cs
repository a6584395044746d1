using System;
using System.Collections.Generic;
using System.Net;
using MailAuth.AuthenticationResults;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Spf;

namespace MailAuth.MessageAuthentication;

/// <summary>
/// A receiver's verdict on one message: SPF on the MAIL FROM (RFC 7208), every DKIM signature (RFC 6376),
/// DMARC on the From domain (RFC 9989), and the Authentication-Results header the receiver would add (RFC 8601).
/// </summary>
public sealed class MessageAuthenticationResult
{
    internal MessageAuthenticationResult(string path, string headerFrom, string headerFromDomain, HeaderFromStatus headerFromStatus,
        IPAddress clientIP, string mailFrom, MailFromSource mailFromSource, string helo, SpfCheckResult spf, IReadOnlyList<DkimSignatureResult> dkim,
        DmarcEvaluation dmarc, DmarcResult dmarcResult, DmarcDisposition disposition, string dmarcReason, AuthenticationResultsHeader authenticationResultsHeader)
    {
        Path = path;
        HeaderFrom = headerFrom;
        HeaderFromDomain = headerFromDomain;
        HeaderFromStatus = headerFromStatus;
        ClientIP = clientIP;
        MailFrom = mailFrom;
        MailFromSource = mailFromSource;
        Helo = helo;
        Spf = spf;
        Dkim = dkim ?? Array.Empty<DkimSignatureResult>();
        Dmarc = dmarc;
        DmarcResult = dmarcResult;
        Disposition = disposition;
        DmarcReason = dmarcReason;
        AuthenticationResultsHeader = authenticationResultsHeader;
        AuthenticationResults = AuthenticationResultsWriter.WriteField(authenticationResultsHeader);
    }

    /// <summary>The message file, or null for a message given in memory.</summary>
    public string Path { get; }

    /// <summary>The From field's address(es) as written; null when there is no From field.</summary>
    public string HeaderFrom { get; }

    /// <summary>The RFC5322.From domain DMARC evaluates; null when there is not exactly one.</summary>
    public string HeaderFromDomain { get; }

    /// <summary>Whether the message has one author domain.</summary>
    public HeaderFromStatus HeaderFromStatus { get; }

    /// <summary>The client address SPF checked.</summary>
    public IPAddress ClientIP { get; }

    /// <summary>The MAIL FROM address SPF checked (empty for the null reverse-path).</summary>
    public string MailFrom { get; }

    /// <summary>Where <see cref="MailFrom"/> came from.</summary>
    public MailFromSource MailFromSource { get; }

    /// <summary>The HELO name, or null.</summary>
    public string Helo { get; }

    /// <summary>SPF check_host() on the MAIL FROM domain (or the HELO identity for the null reverse-path).</summary>
    public SpfCheckResult Spf { get; }

    /// <summary>SPF's result.</summary>
    public SpfResult SpfResult => Spf.Result;

    /// <summary>One result per DKIM-Signature, top to bottom; one None result when the message is not signed.</summary>
    public IReadOnlyList<DkimSignatureResult> Dkim { get; }

    /// <summary>SPF passed for a MAIL FROM domain aligned with From (RFC 9989 §4.4.2).</summary>
    public bool SpfAligned => Dmarc?.SpfAligned ?? false;

    /// <summary>A DKIM signature passed for a d= domain aligned with From (RFC 9989 §4.4.1).</summary>
    public bool DkimAligned => Dmarc?.DkimAligned ?? false;

    /// <summary>The full DMARC evaluation (record, where it was found, applied policy, alignment); null when no single From domain could be evaluated.</summary>
    public DmarcEvaluation Dmarc { get; }

    /// <summary>The DMARC result: pass, fail, none, temperror or permerror.</summary>
    public DmarcResult DmarcResult { get; }

    /// <summary>What the receiver does under the policy: none, quarantine or reject.</summary>
    public DmarcDisposition Disposition { get; }

    /// <summary>Why DMARC came out as it did, and what to change when it failed.</summary>
    public string DmarcReason { get; }

    /// <summary>The Authentication-Results header field the receiver would add, on one line (RFC 8601).</summary>
    public string AuthenticationResults { get; }

    /// <summary>The same header as an object.</summary>
    public AuthenticationResultsHeader AuthenticationResultsHeader { get; }
}
