using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Mx;
using MailAuth.Common;
using MailAuth.Spf;

namespace MailAuth.Readiness;

/// <summary>
/// Checks whether a sending domain meets what receivers ask of it, from its DNS: SPF (RFC 7208),
/// DMARC (RFC 9989; RFC 7489 in the legacy PSL mode), DKIM keys for given selectors (RFC 6376, RFC 8301), MX or null MX
/// (RFC 5321, RFC 7505), and the bulk-sender requirements of Gmail and Yahoo (2024) and Microsoft
/// (2025). Requirements that DNS cannot show (PTR of the sending IPs, one-click unsubscribe) are
/// noted as not checkable. SPF, DMARC, DKIM and MX are asked at the same time.
/// </summary>
public sealed class MailDomainTester
{
    private const string GmailReference = "Gmail email sender guidelines (2024), support.google.com/a/answer/81126";
    private const string YahooReference = "Yahoo sender best practices (2024), senders.yahooinc.com/best-practices";
    private const string MicrosoftReference = "Outlook.com requirements for high-volume senders (May 2025)";

    private readonly IDnsResolver _resolver;
    private readonly PublicSuffixList _publicSuffixList;

    public MailDomainTester(IDnsResolver resolver, PublicSuffixList publicSuffixList = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _publicSuffixList = publicSuffixList ?? PublicSuffixList.Default;
    }

    /// <summary>Runs every check of one (normalized) domain.</summary>
    public async Task<MailDomainReadiness> TestAsync(string domain, IReadOnlyList<string> dkimSelectors, SenderRequirement requirement = SenderRequirement.All,
        CancellationToken cancellationToken = default)
    {
        domain = DomainName.Normalize(domain);
        var selectors = (dkimSelectors ?? Array.Empty<string>()).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var spfTask = new SpfRecordInspector(_resolver).InspectAsync(domain, expand: true, cancellationToken);
        var dmarcTask = new DmarcPolicyDiscoverer(_resolver, _publicSuffixList).DiscoverAsync(domain, DmarcDiscoveryMode.TreeWalk, cancellationToken);
        var mxTask = new MxInspector(_resolver).InspectAsync(domain, cancellationToken);
        var dkimInspector = new DkimKeyInspector(_resolver);
        var dkimTasks = selectors.Select(s => dkimInspector.InspectAsync(domain, s, cancellationToken)).ToList();

        var spf = await spfTask.ConfigureAwait(false);
        var redirectAll = await RedirectAllAsync(spf, cancellationToken).ConfigureAwait(false);
        var dmarc = await dmarcTask.ConfigureAwait(false);
        var mx = await mxTask.ConfigureAwait(false);
        var dkim = (await Task.WhenAll(dkimTasks).ConfigureAwait(false)).ToList();

        var checks = new List<MailDomainCheck>();
        var spfUsable = CheckSpf(domain, spf, redirectAll, checks);
        var dmarcUsable = CheckDmarc(domain, dmarc, checks);
        var dkimUsable = CheckDkim(domain, dkim, checks);
        CheckMx(domain, mx, checks);
        foreach (var provider in new[] { SenderRequirement.Gmail, SenderRequirement.Yahoo, SenderRequirement.Microsoft })
            if ((requirement & provider) != 0) CheckProvider(domain, provider, spf, spfUsable, dmarc, dmarcUsable, dkim, dkimUsable, checks);
        return new MailDomainReadiness(domain, checks, requirement);
    }

    /// <summary>The all of the record a redirect= points to, when the record has no all of its own.</summary>
    private async Task<SpfRecordResult> RedirectAllAsync(SpfRecordResult spf, CancellationToken ct)
    {
        if (spf.Status != RecordStatus.Found || spf.All != null || string.IsNullOrEmpty(spf.Redirect)) return null;
        var target = spf.Redirect.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase) ? spf.Redirect.Substring(9) : spf.Redirect;
        if (target.IndexOf('%') >= 0 || !DomainName.TryNormalize(target, out var name, out _)) return null;
        return await new SpfRecordInspector(_resolver).InspectAsync(name, expand: false, ct).ConfigureAwait(false);
    }

    private static Usability CheckSpf(string domain, SpfRecordResult spf, SpfRecordResult redirected, List<MailDomainCheck> checks)
    {
        const string selection = "RFC 7208 §4.5";
        if (spf.Status == RecordStatus.Error)
        {
            checks.Add(new MailDomainCheck(domain, "Spf.Present", MailDomainCheckStatus.Error,
                $"The SPF lookup failed ({spf.ErrorKind}); whether {domain} has an SPF record is unknown. Try again or ask another server with -Server.", selection));
            return Usability.Unknown;
        }
        if (spf.Status == RecordStatus.NotFound)
        {
            checks.Add(new MailDomainCheck(domain, "Spf.Present", MailDomainCheckStatus.Fail,
                $"{domain} has no SPF record. Publish a TXT record at {domain}: \"v=spf1 include:<your provider> ~all\" (or \"v=spf1 -all\" if it sends no mail).", selection));
            return Usability.No;
        }
        checks.Add(new MailDomainCheck(domain, "Spf.Present", MailDomainCheckStatus.Ok, $"\"{spf.Record}\"", selection));

        var invalid = spf.Findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error && IsSyntax(f.Code));
        checks.Add(invalid == null
            ? new MailDomainCheck(domain, "Spf.Valid", MailDomainCheckStatus.Ok, "The record parses and is the only SPF record.", "RFC 7208 §4.6")
            : new MailDomainCheck(domain, "Spf.Valid", MailDomainCheckStatus.Fail, invalid.Message, invalid.Reference));

        var limit = spf.Findings.FirstOrDefault(f => f.Code == SpfFindingCodes.TooManyLookups || f.Code == SpfFindingCodes.TooManyVoidLookups || f.Code == SpfFindingCodes.IncludeLoop);
        var lookupFailed = spf.Findings.FirstOrDefault(f => f.Code == SpfFindingCodes.IncludeLookupFailed);
        if (limit != null)
            checks.Add(new MailDomainCheck(domain, "Spf.Limits", MailDomainCheckStatus.Fail, limit.Message, limit.Reference));
        else if (lookupFailed != null)
            checks.Add(new MailDomainCheck(domain, "Spf.Limits", MailDomainCheckStatus.Error, lookupFailed.Message, lookupFailed.Reference));
        else
            checks.Add(new MailDomainCheck(domain, "Spf.Limits", MailDomainCheckStatus.Ok,
                $"{spf.DnsLookupCount ?? 0} of 10 DNS lookups, {spf.VoidLookupCount ?? 0} of 2 void lookups.", "RFC 7208 §4.6.4"));

        var all = spf.All ?? redirected?.All;
        var via = spf.All == null && redirected != null ? $" (through {spf.Redirect})" : string.Empty;
        if (all == SpfQualifier.Fail || all == SpfQualifier.SoftFail)
            checks.Add(new MailDomainCheck(domain, "Spf.All", MailDomainCheckStatus.Ok, $"Ends in {(all == SpfQualifier.Fail ? "-all" : "~all")}{via}.", "RFC 7208 §5.1"));
        else if (all == SpfQualifier.Pass)
            checks.Add(new MailDomainCheck(domain, "Spf.All", MailDomainCheckStatus.Fail,
                $"Ends in +all{via}: every host on the Internet may send as {domain}. Replace it with ~all or -all.", "RFC 7208 §5.1"));
        else if (all == SpfQualifier.Neutral)
            checks.Add(new MailDomainCheck(domain, "Spf.All", MailDomainCheckStatus.Warning,
                $"Ends in ?all{via}: unlisted hosts get Neutral, which protects nothing. End the record with ~all or -all.", "RFC 7208 §5.1"));
        else if (spf.All == null && !string.IsNullOrEmpty(spf.Redirect) && redirected?.Status == RecordStatus.Error)
            checks.Add(new MailDomainCheck(domain, "Spf.All", MailDomainCheckStatus.Error,
                $"The record of {spf.Redirect} could not be looked up ({redirected.ErrorKind}), so how it ends is unknown.", "RFC 7208 §6.1"));
        else
            checks.Add(new MailDomainCheck(domain, "Spf.All", MailDomainCheckStatus.Warning,
                $"The record has no all mechanism{via}: unlisted hosts get Neutral. End it with ~all or -all.", "RFC 7208 §4.7"));

        return invalid == null && limit == null ? Usability.Yes : Usability.No;
    }

    private static bool IsSyntax(string code) =>
        code == SpfFindingCodes.SyntaxError || code == SpfFindingCodes.MultipleRecords || code == SpfFindingCodes.StringTooLong || code == SpfFindingCodes.IncludeInvalid;

    private static Usability CheckDmarc(string domain, DmarcRecordResult dmarc, List<MailDomainCheck> checks)
    {
        if (dmarc.Status == RecordStatus.Error)
        {
            checks.Add(new MailDomainCheck(domain, "Dmarc.Present", MailDomainCheckStatus.Error,
                $"The DMARC lookup failed ({dmarc.ErrorKind}); whether {domain} has a DMARC policy is unknown. Try again or ask another server with -Server.", "RFC 9989 §4.10"));
            return Usability.Unknown;
        }
        if (dmarc.Status == RecordStatus.NotFound || dmarc.PolicyRecord == null)
        {
            checks.Add(new MailDomainCheck(domain, "Dmarc.Present", MailDomainCheckStatus.Fail,
                $"No DMARC policy applies to {domain}. Publish a TXT record at _dmarc.{domain}: \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\" and move to quarantine or reject once the reports are clean.",
                "RFC 9989 §4.10.1"));
            return Usability.No;
        }
        var where = dmarc.RecordDomain != null && dmarc.RecordDomain != domain ? $" (inherited from _dmarc.{dmarc.RecordDomain})" : string.Empty;
        checks.Add(new MailDomainCheck(domain, "Dmarc.Present", MailDomainCheckStatus.Ok, $"\"{dmarc.Record}\"{where}", "RFC 9989 §4.10.1"));

        var record = dmarc.PolicyRecord;
        if (!record.IsUsable)
        {
            checks.Add(new MailDomainCheck(domain, "Dmarc.Policy", MailDomainCheckStatus.Fail,
                $"The DMARC record{where} has no valid p= tag, so receivers ignore it. Set p=none, p=quarantine or p=reject.", "RFC 9989 §4.7"));
            return Usability.No;
        }
        var applied = dmarc.AppliedPolicy ?? record.EffectivePolicy;
        checks.Add(applied == DmarcPolicy.None
            ? new MailDomainCheck(domain, "Dmarc.Policy", MailDomainCheckStatus.Ok,
                $"p=none{where}: meets the bulk-sender minimum, but asks receivers for nothing. Once the reports show every source aligned, move to p=quarantine, then p=reject; before p=reject keep p=none for at least a month and p=quarantine as long, and sign with DKIM rather than rely on SPF alone (RFC 9989 §7.4).", "RFC 9989 §5.1.4, §5.1.5")
            : new MailDomainCheck(domain, "Dmarc.Policy", MailDomainCheckStatus.Ok, $"p={applied.ToString().ToLowerInvariant()}{where}.", "RFC 9989 §4.7"));

        checks.Add(dmarc.ReportUri.Count > 0
            ? new MailDomainCheck(domain, "Dmarc.Reporting", MailDomainCheckStatus.Ok, "Aggregate reports go to " + string.Join(", ", dmarc.ReportUri) + ".", "RFC 9989 §4.7 (rua); RFC 9990")
            : new MailDomainCheck(domain, "Dmarc.Reporting", MailDomainCheckStatus.Warning,
                $"No rua= tag: nobody receives the aggregate reports that show which sources fail. Add rua=mailto:<address> to the record at _dmarc.{dmarc.RecordDomain ?? domain}.", "RFC 9989 §4.7 (rua); RFC 9990"));
        return Usability.Yes;
    }

    private static Usability CheckDkim(string domain, IReadOnlyList<DkimRecordResult> keys, List<MailDomainCheck> checks)
    {
        if (keys.Count == 0)
        {
            checks.Add(new MailDomainCheck(domain, "Dkim", MailDomainCheckStatus.Warning,
                "No selector given: DKIM keys cannot be listed from the DNS. Give the selectors your senders sign with (-DkimSelector, e.g. google, selector1, the three Amazon SES tokens).",
                "RFC 6376 §3.6.2.1"));
            return Usability.Unknown;
        }
        var usable = Usability.No;
        foreach (var key in keys)
        {
            var check = "Dkim." + key.Selector;
            const string reference = "RFC 8301 §3.2";
            if (key.Status == RecordStatus.Error)
            {
                checks.Add(new MailDomainCheck(domain, check, MailDomainCheckStatus.Error, $"The lookup of {key.Name} failed ({key.ErrorKind}); whether the key exists is unknown.", "RFC 6376 §3.6.2.2"));
                if (usable == Usability.No) usable = Usability.Unknown;
                continue;
            }
            if (key.Status == RecordStatus.NotFound)
            {
                checks.Add(new MailDomainCheck(domain, check, MailDomainCheckStatus.Fail,
                    $"No DKIM key at {key.Name}. Publish the public key your signer gives for selector {key.Selector} (\"v=DKIM1; k=rsa; p=...\").", "RFC 6376 §3.6.2.2"));
                continue;
            }
            var blocking = key.Findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error) ?? (key.Revoked ? key.Findings.FirstOrDefault(f => f.Code == "DkimKeyRevoked") : null);
            bool ed25519 = string.Equals(key.KeyType, "ed25519", StringComparison.OrdinalIgnoreCase);
            if (key.Revoked)
                checks.Add(new MailDomainCheck(domain, check, MailDomainCheckStatus.Fail, blocking?.Message ?? $"The key at {key.Name} is revoked (empty p=).", "RFC 6376 §3.6.1"));
            else if (!ed25519 && key.KeySize.HasValue && key.KeySize.Value < 1024)
                checks.Add(new MailDomainCheck(domain, check, MailDomainCheckStatus.Fail,
                    $"The RSA key at {key.Name} has {key.KeySize} bits; receivers ignore signatures with keys under 1024 bits. Publish a 2048-bit key.", reference));
            else if (blocking != null)
                checks.Add(new MailDomainCheck(domain, check, MailDomainCheckStatus.Fail, blocking.Message, blocking.Reference));
            else if (!ed25519 && key.KeySize.HasValue && key.KeySize.Value < 2048)
            {
                checks.Add(new MailDomainCheck(domain, check, MailDomainCheckStatus.Warning,
                    $"The RSA key at {key.Name} has {key.KeySize} bits: accepted, but 2048 bits are recommended. Rotate to a 2048-bit key.", reference));
                usable = Usability.Yes;
            }
            else
            {
                checks.Add(new MailDomainCheck(domain, check, MailDomainCheckStatus.Ok,
                    $"{(ed25519 ? "Ed25519" : "RSA")} key{(key.KeySize.HasValue ? $" of {key.KeySize} bits" : string.Empty)} at {key.Name}.", reference));
                usable = Usability.Yes;
            }
        }
        return usable;
    }

    private static void CheckMx(string domain, MxRecordSet mx, List<MailDomainCheck> checks)
    {
        const string reference = "RFC 5321 §5.1";
        if (mx.Status == RecordStatus.Error)
            checks.Add(new MailDomainCheck(domain, "Mx", MailDomainCheckStatus.Error, $"The MX lookup failed ({mx.ErrorKind}); whether {domain} receives mail is unknown.", reference));
        else if (mx.IsNullMx)
            checks.Add(new MailDomainCheck(domain, "Mx", MailDomainCheckStatus.Ok,
                $"{domain} publishes a null MX (\"0 .\"): it receives no mail. Do not use it as a MAIL FROM domain, since bounces cannot come back.", "RFC 7505 §3"));
        else if (mx.Status == RecordStatus.NotFound)
            checks.Add(new MailDomainCheck(domain, "Mx", MailDomainCheckStatus.Warning,
                $"{domain} has no MX record; replies and bounces fall back to its address record. Publish an MX, or a null MX (\"0 .\") if it receives no mail.", reference));
        else
        {
            var broken = mx.Findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error);
            checks.Add(broken == null
                ? new MailDomainCheck(domain, "Mx", MailDomainCheckStatus.Ok, "MX: " + string.Join(", ", mx.Hosts.Select(h => h.ToString())) + ".", reference)
                : new MailDomainCheck(domain, "Mx", MailDomainCheckStatus.Fail, broken.Message, broken.Reference));
        }
    }

    private static void CheckProvider(string domain, SenderRequirement provider, SpfRecordResult spf, Usability spfUsable, DmarcRecordResult dmarc,
        Usability dmarcUsable, IReadOnlyList<DkimRecordResult> dkim, Usability dkimUsable, List<MailDomainCheck> checks)
    {
        var name = provider.ToString();
        var reference = provider == SenderRequirement.Gmail ? GmailReference : provider == SenderRequirement.Yahoo ? YahooReference : MicrosoftReference;

        // Authentication: bulk senders must pass SPF and DKIM.
        MailDomainCheckStatus auth;
        string authDetail;
        if (spfUsable == Usability.No || dkimUsable == Usability.No)
        {
            auth = MailDomainCheckStatus.Fail;
            authDetail = $"Bulk senders must authenticate with both SPF and DKIM; {(spfUsable == Usability.No ? "SPF" : "DKIM")} is not set up correctly (see the Spf and Dkim rows).";
        }
        else if (spfUsable == Usability.Unknown && spf.Status == RecordStatus.Error || dkimUsable == Usability.Unknown && dkim.Any(k => k.Status == RecordStatus.Error))
        {
            auth = MailDomainCheckStatus.Error;
            authDetail = "A lookup failed, so SPF and DKIM cannot both be confirmed.";
        }
        else if (dkimUsable == Usability.Unknown)
        {
            auth = MailDomainCheckStatus.Warning;
            authDetail = "SPF is set up; DKIM cannot be confirmed without -DkimSelector.";
        }
        else
        {
            auth = MailDomainCheckStatus.Ok;
            authDetail = "SPF and DKIM are both set up.";
        }
        checks.Add(new MailDomainCheck(domain, name + ".Authentication", auth, authDetail, reference));

        checks.Add(dmarcUsable == Usability.Yes
            ? new MailDomainCheck(domain, name + ".Dmarc", MailDomainCheckStatus.Ok, "A DMARC policy of at least p=none is published.", reference)
            : dmarcUsable == Usability.Unknown
                ? new MailDomainCheck(domain, name + ".Dmarc", MailDomainCheckStatus.Error, "The DMARC lookup failed; the requirement cannot be judged.", reference)
                : new MailDomainCheck(domain, name + ".Dmarc", MailDomainCheckStatus.Fail, $"Bulk senders must publish DMARC with at least p=none: add \"v=DMARC1; p=none; rua=mailto:...\" at _dmarc.{domain}.", reference));

        // Alignment: the From domain must align with the SPF (MAIL FROM) or DKIM (d=) domain. From DNS,
        // what can be shown is that an aligned identifier is available: a DKIM key under the domain
        // (d= aligned) or an SPF record at the domain (a MAIL FROM in it aligns).
        var alignedKey = dkim.FirstOrDefault(k => k.Status == RecordStatus.Found && !k.Revoked);
        if (alignedKey != null && dkimUsable == Usability.Yes)
            checks.Add(new MailDomainCheck(domain, name + ".Alignment", MailDomainCheckStatus.Ok,
                $"Signatures with d={domain} s={alignedKey.Selector} would be DKIM-aligned with From: {domain}.", reference + "; RFC 9989 §4.4.1"));
        else if (spfUsable == Usability.Yes)
            checks.Add(new MailDomainCheck(domain, name + ".Alignment", MailDomainCheckStatus.Warning,
                $"Only SPF could align: mail must use a MAIL FROM at {domain} or a subdomain of it (an ESP's own bounce domain does not align). Sign with d={domain} so that alignment does not depend on the envelope.",
                reference + "; RFC 9989 §4.4.2"));
        else if (spf.Status == RecordStatus.Error || dkim.Any(k => k.Status == RecordStatus.Error))
            checks.Add(new MailDomainCheck(domain, name + ".Alignment", MailDomainCheckStatus.Error,
                $"A lookup failed, so whether an identifier can align with From: {domain} cannot be judged (see the Spf and Dkim rows).", reference + "; RFC 9989 §4.4"));
        else if (dkim.Count == 0)
            checks.Add(new MailDomainCheck(domain, name + ".Alignment", MailDomainCheckStatus.Warning,
                $"SPF cannot align (no valid SPF record at {domain}) and DKIM was not checked: give -DkimSelector to see whether signatures with d={domain} could align.", reference + "; RFC 9989 §4.4"));
        else
            checks.Add(new MailDomainCheck(domain, name + ".Alignment", MailDomainCheckStatus.Fail,
                $"Neither a usable DKIM key nor a valid SPF record at {domain}: no identifier can align with From: {domain}.", reference + "; RFC 9989 §4.4"));

        checks.Add(new MailDomainCheck(domain, name + ".ReverseDns", MailDomainCheckStatus.NotCheckable,
            "Each sending IP address needs a PTR name that resolves back to it (forward-confirmed reverse DNS). Check it with your sending provider.",
            reference));
        if (provider != SenderRequirement.Microsoft)
            checks.Add(new MailDomainCheck(domain, name + ".Unsubscribe", MailDomainCheckStatus.NotCheckable,
                "Marketing mail needs one-click unsubscribe (List-Unsubscribe and List-Unsubscribe-Post headers), and the spam rate must stay under 0.3%.",
                reference + "; RFC 8058"));
        else
            checks.Add(new MailDomainCheck(domain, name + ".Unsubscribe", MailDomainCheckStatus.NotCheckable,
                "Microsoft asks for a functional unsubscribe link and a valid, replyable From/Reply-To address.",
                reference));
    }

    private enum Usability { No, Yes, Unknown }
}
