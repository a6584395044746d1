using System;
using System.Collections.Generic;
using System.Net;
using MailAuth.AuthenticationResults;
using MailAuth.Arc;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Common;
using MailAuth.Spf;

namespace MailAuth.MessageAuthentication;

/// <summary>
/// A receiver's verdict on one message: SPF on the MAIL FROM (RFC 7208), every DKIM signature (RFC 6376),
/// DMARC on the From domain (RFC 9989), the ARC chain (RFC 8617 §5.2), and the Authentication-Results header the
/// receiver would add (RFC 8601). ARC never changes the DMARC result or disposition here: a receiver may apply a
/// local-policy override for a chain it trusts (RFC 8617 §7), and <see cref="ArcOverrideNote"/> says when one would be open.
/// </summary>
public sealed class MessageAuthenticationResult
{
    internal MessageAuthenticationResult(string path, string headerFrom, string headerFromDomain, HeaderFromStatus headerFromStatus,
        IPAddress clientIP, string mailFrom, MailFromSource mailFromSource, string helo, SpfCheckResult spf, IReadOnlyList<DkimSignatureResult> dkim,
        DmarcEvaluation dmarc, DmarcResult dmarcResult, DmarcDisposition disposition, string dmarcReason, ArcChainResult arc, string arcOverrideNote,
        AuthenticationResultsHeader authenticationResultsHeader)
    {
        Path = path;
        HeaderFrom = headerFrom;
        HeaderFromDomain = headerFromDomain;
        HeaderFromStatus = headerFromStatus;
        ClientIP = clientIP?.ToString();
        MailFrom = mailFrom;
        MailFromSource = mailFromSource;
        Helo = helo;
        Spf = spf;
        Dkim = ReadOnlyArray.From(dkim);
        Dmarc = dmarc;
        DmarcResult = dmarcResult;
        Disposition = disposition;
        DmarcReason = dmarcReason;
        Arc = arc ?? throw new ArgumentNullException(nameof(arc));
        ArcOverrideNote = arcOverrideNote;
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
    public string ClientIP { get; }

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

    /// <summary>The validation of the message's ARC chain (RFC 8617 §5.2): every set's cv=, sealer and signature verdicts, and oldest-pass.</summary>
    public ArcChainResult Arc { get; }

    /// <summary>The ARC result: none (no ARC sets), pass, fail, or TempError when a sealer's key could not be fetched.</summary>
    public ArcChainValidation ArcResult => Arc.Result;

    /// <summary>The d= domains of the ARC-Seals, in instance order (1 first), each once: the intermediaries that vouch for the chain.</summary>
    public IReadOnlyList<string> ArcSealers => Arc.SealerDomains;

    /// <summary>
    /// When DMARC fails but the ARC chain passes: that a receiver trusting <see cref="ArcSealers"/> may override the
    /// policy by local policy (reported as local_policy or trusted_forwarder, RFC 9990). Never applied: the DMARC
    /// result and disposition stay as the domain's policy makes them. Null otherwise.
    /// </summary>
    public string ArcOverrideNote { get; }

    /// <summary>The Authentication-Results header field the receiver would add, on one line (RFC 8601).</summary>
    public string AuthenticationResults { get; }

    /// <summary>The same header as an object.</summary>
    public AuthenticationResultsHeader AuthenticationResultsHeader { get; }
}
