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
using MailAuth.Common;

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
        var resolver = CachingResolver.ForOneEvaluation(_resolver);
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

        var header = AuthenticationResultsComposer.Compose(options.AuthServId ?? "localhost", options, spf, mailFromSource, dkim, arc, from,
            dmarc, dmarcResult, dmarcReason);
        return new MessageAuthenticationResult(path: path, headerFrom: from.Text, headerFromDomain: from.Domain,
            headerFromStatus: from.Status, clientIP: options.ClientIP, mailFrom: mailFrom ?? string.Empty, mailFromSource: mailFromSource,
            helo: options.Helo, spf: spf, dkim: dkim, dmarc: dmarc, dmarcResult: dmarcResult, disposition: disposition,
            dmarcReason: dmarcReason, arc: arc, arcOverrideNote: ArcOverrideNote(from, dmarcResult, disposition, arc),
            authenticationResultsHeader: header);
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
        if (options.MailFrom != null) return (options.MailFrom.Trim().Trim(TrimChars.AngleBrackets), options.MailFrom.Trim().Trim(TrimChars.AngleBrackets).Length == 0 ? MailFromSource.Helo : MailFromSource.Parameter);
        var returnPath = message.Fields.FirstOrDefault(h => h.Is("Return-Path"));
        if (returnPath == null) return (string.Empty, MailFromSource.Helo);
        var value = HeaderFromIdentity.FieldText(returnPath);
        var open = value.IndexOf('<');
        var close = value.LastIndexOf('>');
        if (open >= 0 && close > open) value = value.Substring(open + 1, close - open - 1).Trim();
        return (value, value.Length == 0 ? MailFromSource.Helo : MailFromSource.ReturnPath);
    }
}
