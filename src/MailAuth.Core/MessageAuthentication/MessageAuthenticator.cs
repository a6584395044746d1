using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Arc;
using MailAuth.AuthenticationResults;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Spf;

namespace MailAuth.MessageAuthentication;

/// <summary>
/// Authenticates a received message as a receiver does: SPF check_host() on the MAIL FROM (RFC 7208 §4),
/// every DKIM signature (RFC 6376 §6), DMARC on the From domain with identifier alignment (RFC 9989 §4.4, §5.3),
/// the ARC chain (RFC 8617 §5.2), and the Authentication-Results header that records it all (RFC 8601).
/// Malformed messages are reported in the result (a missing or repeated From is a DMARC none or permerror),
/// never thrown. A passing ARC chain is reported beside DMARC, never applied to it.
/// </summary>
public sealed class MessageAuthenticator
{
    private readonly IDnsResolver _resolver;
    private readonly PublicSuffixList _publicSuffixList;
    private readonly Func<DateTimeOffset> _clock;
    private readonly DkimKeyCache _keyCache;

    public MessageAuthenticator(IDnsResolver resolver, PublicSuffixList publicSuffixList = null, Func<DateTimeOffset> clock = null)
        : this(resolver, publicSuffixList, clock, null) { }

    /// <param name="resolver">Where every DNS question goes.</param>
    /// <param name="publicSuffixList">The list for the legacy discovery mode; the bundled one when null.</param>
    /// <param name="clock">The time to judge DKIM and ARC x= against; the system clock when null.</param>
    /// <param name="keyCache">DKIM keys to reuse between messages, shared by the DKIM and ARC checks; one of its own when null.</param>
    public MessageAuthenticator(IDnsResolver resolver, PublicSuffixList publicSuffixList, Func<DateTimeOffset> clock, DkimKeyCache keyCache)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _publicSuffixList = publicSuffixList ?? PublicSuffixList.Default;
        _clock = clock;
        _keyCache = keyCache ?? new DkimKeyCache();
    }

    /// <summary>Authenticates the raw RFC 5322 message read from <paramref name="message"/>.</summary>
    public async Task<MessageAuthenticationResult> AuthenticateAsync(Stream message, MessageAuthenticationOptions options, string path = null,
        CancellationToken cancellationToken = default)
    {
        if (message == null) throw new ArgumentNullException(nameof(message));
        var buffer = new MemoryStream();
        await message.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
        return await AuthenticateAsync(buffer.ToArray(), options, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Authenticates a raw RFC 5322 message held in memory.</summary>
    public async Task<MessageAuthenticationResult> AuthenticateAsync(byte[] message, MessageAuthenticationOptions options, string path = null,
        CancellationToken cancellationToken = default)
    {
        if (message == null) throw new ArgumentNullException(nameof(message));
        if (options?.ClientIP == null) throw new ArgumentException("The client IP address is required for SPF.", nameof(options));

        // One parse of the message serves the identities (From, Return-Path), the DKIM signatures and the ARC chain;
        // one resolver for the message asks each DNS question once.
        var parsed = DkimMessage.Parse(message);
        var resolver = new QuestionOnceResolver(_resolver);
        var from = HeaderFromIdentity.Read(parsed);
        var (mailFrom, mailFromSource) = ChooseMailFrom(options, parsed);

        var spfEvaluator = new SpfEvaluator(resolver) { ReceiverDomain = options.AuthServId ?? "localhost" };
        var spf = await spfEvaluator.CheckHostAsync(options.ClientIP, mailFrom, options.Helo, cancellationToken).ConfigureAwait(false);
        if (mailFromSource != MailFromSource.Helo && string.IsNullOrEmpty(mailFrom)) mailFromSource = MailFromSource.Helo;

        var dkim = await new DkimSignatureVerifier(resolver, _clock, _keyCache).VerifyAsync(parsed, cancellationToken).ConfigureAwait(false);
        var arc = await new ArcChainVerifier(resolver, _clock, _keyCache).VerifyAsync(parsed, path, cancellationToken).ConfigureAwait(false);

        DmarcEvaluation dmarc = null;
        DmarcResult dmarcResult;
        DmarcDisposition disposition = DmarcDisposition.None;
        string dmarcReason;
        if (from.Status == HeaderFromStatus.Single)
        {
            var input = new DmarcEvaluationInput(from.Domain, spf.Domain, spf.Result,
                dkim.Where(d => d.Result == DkimResult.Pass).Select(d => d.Domain))
            {
                DkimTempError = dkim.Any(d => d.Result == DkimResult.TempError),
                PercentageSample = options.PercentageSample,
            };
            dmarc = await new DmarcEvaluator(resolver, _publicSuffixList).EvaluateAsync(input, options.DiscoveryMode, cancellationToken).ConfigureAwait(false);
            dmarcResult = dmarc.Result;
            disposition = dmarc.Disposition;
            dmarcReason = dmarc.Reason;
        }
        else
        {
            (dmarcResult, dmarcReason) = from.Status switch
            {
                HeaderFromStatus.Missing => (DmarcResult.None,
                    "The message has no From field, so there is no author domain for DMARC to evaluate; RFC 5322 §3.6 requires exactly one From field and DMARC validation is not possible (RFC 9989 §5.3.1). Add a From field."),
                HeaderFromStatus.Multiple => (DmarcResult.PermError,
                    $"The message has several author domains ({from.Text}), so DMARC cannot apply one policy; receivers may reject it (RFC 9989 §5.3.1, §11.5). Send with a single From address."),
                _ => (DmarcResult.PermError,
                    $"The From field ({from.Text}) holds no mailbox that can be parsed, so DMARC cannot find the author domain (RFC 5322 §3.4). Fix the From field."),
            };
        }

        var header = ComposeHeader(options.AuthServId ?? "localhost", options, spf, mailFromSource, dkim, arc, from, dmarc, dmarcResult, dmarcReason);
        return new MessageAuthenticationResult(path, from.Text, from.Domain, from.Status, options.ClientIP, mailFrom ?? string.Empty, mailFromSource,
            options.Helo, spf, dkim, dmarc, dmarcResult, disposition, dmarcReason, arc, ArcOverrideNote(from, dmarcResult, disposition, arc), header);
    }

    /// <summary>
    /// DMARC failed and the ARC chain passed: the case where a receiver may apply a local-policy override for sealers
    /// it trusts (RFC 8617 §7; reported as local_policy or trusted_forwarder, RFC 9990). Said, not done.
    /// </summary>
    private static string ArcOverrideNote(HeaderFromIdentity from, DmarcResult dmarcResult, DmarcDisposition disposition, ArcChainResult arc)
    {
        if (dmarcResult != DmarcResult.Fail || arc.Result != ArcChainValidation.Pass) return null;
        var sealers = string.Join(", ", arc.SealerDomains);
        return $"DMARC fails for {from.Domain} (disposition {disposition.ToString().ToLowerInvariant()}), but the ARC chain passes: {arc.InstanceCount} set(s) sealed by {sealers}, "
            + $"oldest-pass={arc.OldestPass.GetValueOrDefault().ToString(CultureInfo.InvariantCulture)}. A receiver that trusts {sealers} may override the policy by local policy "
            + "and report it as local_policy or trusted_forwarder (RFC 8617 §7, RFC 9990); MailAuth applies no override, so DmarcResult and Disposition are the policy's.";
    }

    /// <summary>-MailFrom when given; else the topmost Return-Path (RFC 5321 §4.4); an empty path means HELO is checked.</summary>
    private static (string MailFrom, MailFromSource Source) ChooseMailFrom(MessageAuthenticationOptions options, DkimMessage message)
    {
        if (options.MailFrom != null) return (options.MailFrom.Trim().Trim('<', '>'), options.MailFrom.Trim().Trim('<', '>').Length == 0 ? MailFromSource.Helo : MailFromSource.Parameter);
        var returnPath = message.Fields.FirstOrDefault(h => h.Is("Return-Path"));
        if (returnPath == null) return (string.Empty, MailFromSource.Helo);
        var value = HeaderFromIdentity.FieldText(returnPath);
        var open = value.IndexOf('<');
        var close = value.LastIndexOf('>');
        if (open >= 0 && close > open) value = value.Substring(open + 1, close - open - 1).Trim();
        return (value, value.Length == 0 ? MailFromSource.Helo : MailFromSource.ReturnPath);
    }

    /// <summary>
    /// The Authentication-Results header (RFC 8601 §2.7): dkim per signature, arc, spf, dmarc, in the style receivers such as
    /// Gmail use; like Gmail, arc= is written only for a message that carries ARC sets.
    /// </summary>
    private static AuthenticationResultsHeader ComposeHeader(string authServId, MessageAuthenticationOptions options, SpfCheckResult spf, MailFromSource mailFromSource,
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
