using System;
using System.Collections.Generic;
using System.Globalization;
using MailAuth.Arc;
using MailAuth.AuthenticationResults;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Spf;

namespace MailAuth.MessageAuthentication;

/// <summary>
/// Writes what a message's evaluation found as the Authentication-Results header a receiver adds (RFC 8601): one
/// result per DKIM signature, arc (for a message that carries ARC sets), spf and dmarc.
/// </summary>
internal static class AuthenticationResultsComposer
{
    /// <summary>
    /// The Authentication-Results header (RFC 8601 §2.7): dkim per signature, arc, spf, dmarc, in the style receivers such as
    /// Gmail use; like Gmail, arc= is written only for a message that carries ARC sets.
    /// </summary>
    internal static AuthenticationResultsHeader Compose(string authServId, MessageAuthenticationOptions options, SpfCheckResult spf, MailFromSource mailFromSource,
        IReadOnlyList<DkimSignatureResult> dkim, ArcChainResult arc, HeaderFromIdentity from, DmarcEvaluation dmarc, DmarcResult dmarcResult, string dmarcReason)
    {
        var results = new List<AuthenticationResult>();
        foreach (var d in dkim)
        {
            if (d.Result == DkimResult.None && d.Domain == null)
            {
                results.Add(AuthenticationResultsWriter.Result("dkim", "none", "message not signed"));
                continue;
            }
            var comment = d.Result == DkimResult.Pass
                ? (d.KeySize.HasValue ? $"{d.KeySize.Value.ToString(CultureInfo.InvariantCulture)}-bit {d.KeyType} key" : null)
                : d.Reason;
            results.Add(AuthenticationResultsWriter.Result("dkim", d.Result.ToString().ToLowerInvariant(), comment,
                ("header.i", d.Identity ?? (d.Domain == null ? null : "@" + d.Domain)),
                ("header.s", d.Selector),
                ("header.b", d.Signature == null ? null : d.Signature.Substring(0, Math.Min(8, d.Signature.Length)))));
        }

        if (arc.Result != ArcChainValidation.None) results.Add(ArcResult(arc, options.ClientIP));

        var spfName = spf.Result.ToString().ToLowerInvariant();
        var spfComment = spf.Result switch
        {
            SpfResult.Pass => $"{authServId}: domain of {spf.MailFrom} designates {spf.IPAddress} as permitted sender",
            SpfResult.Fail => $"{authServId}: domain of {spf.MailFrom} does not designate {spf.IPAddress} as permitted sender",
            SpfResult.SoftFail => $"{authServId}: domain of transitioning {spf.MailFrom} does not designate {spf.IPAddress} as permitted sender",
            _ => spf.Reason,
        };
        results.Add(mailFromSource == MailFromSource.Helo
            ? AuthenticationResultsWriter.Result("spf", spfName, spfComment, ("smtp.helo", options.Helo ?? spf.Domain))
            : AuthenticationResultsWriter.Result("spf", spfName, spfComment, ("smtp.mailfrom", spf.MailFrom)));

        string dmarcComment;
        if (dmarc?.Record != null)
        {
            var p = dmarc.Record.Policy;
            var sp = dmarc.Record.SubdomainPolicy ?? p;
            dmarcComment = $"p={Upper(p)} sp={Upper(sp)} dis={dmarc.Disposition.ToString().ToUpperInvariant()}";
        }
        else
        {
            dmarcComment = dmarcResult == DmarcResult.Pass ? null : dmarcReason;
        }
        results.Add(AuthenticationResultsWriter.Result("dmarc", dmarcResult.ToString().ToLowerInvariant(), dmarcComment, ("header.from", from.Domain)));
        return new AuthenticationResultsHeader(authServId, results);
    }

    /// <summary>
    /// arc=pass|fail|temperror with smtp.remote-ip and, for a passing chain, header.oldest-pass: the arc method's properties in
    /// the IANA Email Authentication Methods registry (RFC 8617), oldest-pass as RFC 8617 §5.2 step 6 defines it.
    /// </summary>
    private static AuthenticationResult ArcResult(ArcChainResult arc, System.Net.IPAddress clientIP)
    {
        var comment = arc.Result == ArcChainValidation.Pass
            ? $"i={arc.InstanceCount.ToString(CultureInfo.InvariantCulture)} sealed by {string.Join(", ", arc.SealerDomains)}"
            : arc.Reason;
        return AuthenticationResultsWriter.Result("arc", arc.Result.ToString().ToLowerInvariant(), comment,
            ("smtp.remote-ip", clientIP.ToString()),
            ("header.oldest-pass", arc.OldestPass?.ToString(CultureInfo.InvariantCulture)));
    }

    private static string Upper(DmarcPolicy? policy) => policy.HasValue ? policy.Value.ToString().ToUpperInvariant() : "NONE";
}
