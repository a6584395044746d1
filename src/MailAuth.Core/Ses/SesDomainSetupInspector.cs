using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Records;

namespace MailAuth.Ses;

/// <summary>
/// Compares what an SES identity needs in DNS with what the DNS holds (Test-SesDomainSetup): one
/// <see cref="SesRecordCheck"/> per required record, and a <see cref="SesDomainVerdict"/> saying
/// whether SPF and DKIM will pass and align and what DMARC result a receiver reaches.
/// </summary>
public sealed class SesDomainSetupInspector
{
    private readonly IDnsResolver _resolver;

    public SesDomainSetupInspector(IDnsResolver resolver) => _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));

    /// <summary>
    /// Checks one identity. Input is validated first (InvalidDomainName, SesUnknownRegion,
    /// SesInvalidDkimToken, SesMailFromOutsideIdentity as <see cref="MailAuthInputException"/>).
    /// </summary>
    public async Task<SesDomainSetupResult> InspectAsync(SesDomainSetupRequest request, CancellationToken cancellationToken = default)
    {
        if (request == null) throw new ArgumentNullException(nameof(request));
        var domain = SesIdentityName.Domain(request.Identity);
        var region = SesRegion.Get(request.Region);
        var tokens = request.Tokens != null && request.Tokens.Count > 0 ? SesDkimToken.Validate(request.Tokens) : null;
        var mailFrom = string.IsNullOrWhiteSpace(request.MailFromDomain) ? null : SesIdentityName.MailFromDomain(request.MailFromDomain, domain);
        var zone = SesDkimRecordBuilder.ResolveHostedZone(region.Name, request.SigningHostedZone);

        var rows = new List<SesRecordCheck>();
        if (tokens != null)
            foreach (var token in tokens)
                rows.Add(await CheckDkimCnameAsync(domain, token, zone, cancellationToken).ConfigureAwait(false));

        SesRecordCheck mx = null, spf = null;
        if (mailFrom != null)
        {
            mx = await CheckMailFromMxAsync(domain, mailFrom, region, cancellationToken).ConfigureAwait(false);
            spf = await CheckMailFromSpfAsync(domain, mailFrom, cancellationToken).ConfigureAwait(false);
            rows.Add(mx);
            rows.Add(spf);
        }

        var dmarc = await SesDmarcLookup.DiscoverAsync(_resolver, domain, cancellationToken).ConfigureAwait(false);
        rows.Add(DmarcRow(domain, dmarc));

        var verdict = Judge(domain, region, tokens, rows.Where(r => r.Purpose == DkimPurpose).ToList(), mailFrom, request.BehaviorOnMxFailure, mx, spf, dmarc);
        return new SesDomainSetupResult(domain, rows, verdict);
    }

    private const string DkimPurpose = "Easy DKIM";

    private async Task<SesRecordCheck> CheckDkimCnameAsync(string domain, string token, string zone, CancellationToken ct)
    {
        var name = token + "._domainkey." + domain;
        var expected = token + "." + zone;
        var answer = await _resolver.QueryAsync(name, DnsRecordType.CNAME, ct).ConfigureAwait(false);
        if (answer.IsError)
            return new SesRecordCheck(domain, name, "CNAME", expected, null, SesRecordCheckStatus.Error, DkimPurpose,
                $"Could not look up {name}: {answer.Describe()}. This says nothing about whether the record exists; try again or ask another server.", answer.ErrorKind);
        var targets = answer.Records.Where(r => r.Type == DnsRecordType.CNAME).Select(r => r.Target).Distinct().ToList();
        if (targets.Count == 0)
        {
            // Something else at the name (a TXT pasted instead of a CNAME) is a mismatch, not a gap.
            var txt = await _resolver.QueryAsync(name, DnsRecordType.TXT, ct).ConfigureAwait(false);
            var other = txt.IsError ? new List<string>() : txt.TxtStrings().ToList();
            if (other.Count > 0)
                return new SesRecordCheck(domain, name, "CNAME", expected, "TXT " + string.Join(" | ", other), SesRecordCheckStatus.Mismatch, DkimPurpose,
                    $"{name} has a TXT record where SES needs a CNAME: replace it with CNAME {expected}.");
            return new SesRecordCheck(domain, name, "CNAME", expected, null, SesRecordCheckStatus.Missing, DkimPurpose,
                $"Publish {name} CNAME {expected}; until all three DKIM CNAMEs exist SES cannot sign with d={domain}.");
        }
        var found = string.Join(" | ", targets);
        if (targets.Count == 1 && targets[0] == expected)
            return new SesRecordCheck(domain, name, "CNAME", expected, found, SesRecordCheckStatus.Ok, DkimPurpose, null);
        var wrongZone = SesRegion.AllDkimHostedZones.FirstOrDefault(z => z != zone && targets.Contains(token + "." + z));
        if (wrongZone != null)
            return new SesRecordCheck(domain, name, "CNAME", expected, found, SesRecordCheckStatus.Mismatch, DkimPurpose,
                $"{name} points at {wrongZone}, the Easy DKIM zone of another region; the identity's region uses {zone}. Change the CNAME to {expected}.");
        return new SesRecordCheck(domain, name, "CNAME", expected, found, SesRecordCheckStatus.Mismatch, DkimPurpose,
            $"{name} points at {found}; change the CNAME to {expected} (check for a typo or a token from another identity).");
    }

    private async Task<SesRecordCheck> CheckMailFromMxAsync(string domain, string mailFrom, SesRegion region, CancellationToken ct)
    {
        const string purpose = "MAIL FROM MX";
        var expected = "10 " + region.FeedbackMailExchange;
        var answer = await _resolver.QueryAsync(mailFrom, DnsRecordType.MX, ct).ConfigureAwait(false);
        if (answer.IsError)
            return new SesRecordCheck(domain, mailFrom, "MX", expected, null, SesRecordCheckStatus.Error, purpose,
                $"Could not look up MX {mailFrom}: {answer.Describe()}.", answer.ErrorKind);
        var mxs = answer.Records.Where(r => r.Type == DnsRecordType.MX).ToList();
        var found = string.Join(" | ", mxs.Select(r => r.Preference + " " + r.Target));
        if (mxs.Count == 0)
            return new SesRecordCheck(domain, mailFrom, "MX", expected, null, SesRecordCheckStatus.Missing, purpose,
                $"Publish {mailFrom} MX {expected}; without it SES cannot use {mailFrom} as MAIL FROM.");
        if (mxs.Count > 1)
            return new SesRecordCheck(domain, mailFrom, "MX", expected, found, SesRecordCheckStatus.Conflict, purpose,
                $"{mailFrom} has {mxs.Count} MX records; SES requires exactly one. Delete all but {expected}.");
        if (mxs[0].Target == region.FeedbackMailExchange)
            return new SesRecordCheck(domain, mailFrom, "MX", expected, found, SesRecordCheckStatus.Ok, purpose, null);
        var otherRegion = SesRegion.All.FirstOrDefault(r => r.FeedbackMailExchange == mxs[0].Target);
        return new SesRecordCheck(domain, mailFrom, "MX", expected, found, SesRecordCheckStatus.Mismatch, purpose,
            otherRegion != null
                ? $"{mailFrom} MX points at the feedback endpoint of {otherRegion.Name}; the identity sends from {region.Name}. Change it to {expected}."
                : $"{mailFrom} MX points at {mxs[0].Target}; change it to {expected}.");
    }

    private async Task<SesRecordCheck> CheckMailFromSpfAsync(string domain, string mailFrom, CancellationToken ct)
    {
        const string purpose = "MAIL FROM SPF";
        var expected = SesMailFromConfig.SpfRecordValue;
        var answer = await _resolver.QueryAsync(mailFrom, DnsRecordType.TXT, ct).ConfigureAwait(false);
        if (answer.IsError)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, null, SesRecordCheckStatus.Error, purpose,
                $"Could not look up TXT {mailFrom}: {answer.Describe()}.", answer.ErrorKind);
        var spf = answer.TxtStrings().Where(IsSpf).ToList();
        var found = string.Join(" | ", spf);
        if (spf.Count == 0)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, null, SesRecordCheckStatus.Missing, purpose,
                $"Publish {mailFrom} TXT \"{expected}\"; without it SPF has no policy for SES's MAIL FROM (RFC 7208 §4.5: result none).");
        if (spf.Count > 1)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, found, SesRecordCheckStatus.Conflict, purpose,
                $"{mailFrom} has {spf.Count} SPF records, which is a permerror (RFC 7208 §4.5); merge them into one: \"{expected}\".");
        var terms = spf[0].Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        if (terms.Any(t => string.Equals(t.TrimStart('+'), "include:amazonses.com", StringComparison.OrdinalIgnoreCase)))
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, found, SesRecordCheckStatus.Ok, purpose, null);
        return new SesRecordCheck(domain, mailFrom, "TXT", expected, found, SesRecordCheckStatus.Mismatch, purpose,
            $"The SPF record of {mailFrom} does not include amazonses.com, so SES's servers fail SPF; add include:amazonses.com, e.g. \"{expected}\".");
    }

    private static bool IsSpf(string txt) =>
        txt.Equals("v=spf1", StringComparison.OrdinalIgnoreCase) || txt.StartsWith("v=spf1 ", StringComparison.OrdinalIgnoreCase);

    private static SesRecordCheck DmarcRow(string domain, SesDmarcLookup.Outcome dmarc)
    {
        const string purpose = "DMARC";
        const string expected = "v=DMARC1; p=none;";
        var name = "_dmarc." + domain;
        if (dmarc.Answer.IsError)
            return new SesRecordCheck(domain, dmarc.QueriedName, "TXT", expected, null, SesRecordCheckStatus.Error, purpose,
                $"Could not look up {dmarc.QueriedName}: {dmarc.Answer.Describe()}.", dmarc.Answer.ErrorKind);
        if (dmarc.Records.Count == 0)
            return new SesRecordCheck(domain, name, "TXT", expected, null, SesRecordCheckStatus.Missing, purpose,
                $"Publish {name} TXT \"{expected}\" (start with p=none, add rua= for reports); without a DMARC record receivers apply no policy and Gmail and Yahoo reject bulk mail (RFC 7489 §6.1).");
        var found = string.Join(" | ", dmarc.Records);
        if (dmarc.Records.Count > 1)
            return new SesRecordCheck(domain, dmarc.QueriedName, "TXT", expected, found, SesRecordCheckStatus.Conflict, purpose,
                $"{dmarc.QueriedName} has {dmarc.Records.Count} DMARC records; receivers then ignore DMARC (RFC 7489 §6.6.3). Keep one.");
        return new SesRecordCheck(domain, dmarc.QueriedName, "TXT", expected, found, SesRecordCheckStatus.Ok, purpose, null);
    }

    private static SesDomainVerdict Judge(string domain, SesRegion region, IReadOnlyList<string> tokens, List<SesRecordCheck> dkimRows, string mailFrom,
        SesBehaviorOnMxFailure behavior, SesRecordCheck mx, SesRecordCheck spf, SesDmarcLookup.Outcome dmarc)
    {
        var changes = new List<string>();
        var findings = new List<Finding>();
        var sesMailFrom = region.Name + "." + SesRegion.AmazonSesDomain;
        dmarc.Tags.TryGetValue("aspf", out var aspf);
        var strictSpf = string.Equals(aspf, "s", StringComparison.OrdinalIgnoreCase);

        // SPF (RFC 7208) and its alignment (RFC 7489 §3.1.2).
        string spfDomain;
        bool spfPass, spfAligned;
        var rejected = false;
        if (mailFrom == null)
        {
            spfDomain = sesMailFrom; spfPass = true; spfAligned = false;
            findings.Add(Finding.Warning("SesSpfNotAligned",
                $"No custom MAIL FROM domain: SES sends with a MAIL FROM under {sesMailFrom}, so SPF passes for amazonses.com but does not align with {domain}; DMARC rests on DKIM alone. Set a custom MAIL FROM such as mail.{domain} (New-SesMailFromConfig, Set-SesMailFromDomain).",
                "RFC 7489 §3.1.2", domain));
            changes.Add($"Optional but recommended: configure a custom MAIL FROM domain (e.g. mail.{domain}) so SPF aligns too.");
        }
        else if (mx.Status != SesRecordCheckStatus.Ok)
        {
            if (behavior == SesBehaviorOnMxFailure.RejectMessage)
            {
                rejected = true;
                spfDomain = mailFrom; spfPass = false; spfAligned = false;
                findings.Add(Finding.Error("SesMailFromRejects",
                    $"The MX record of {mailFrom} is not right and BehaviorOnMxFailure is RejectMessage: SES refuses to send (MailFromDomainNotVerified).", "Amazon SES custom MAIL FROM", mailFrom));
            }
            else
            {
                spfDomain = sesMailFrom; spfPass = true; spfAligned = false;
                findings.Add(Finding.Warning("SesMailFromFallsBack",
                    $"The MX record of {mailFrom} is not right, so SES falls back to a MAIL FROM under {sesMailFrom}: SPF passes but does not align.", "RFC 7489 §3.1.2", mailFrom));
            }
            changes.Add(mx.Message);
            if (spf.Status != SesRecordCheckStatus.Ok) changes.Add(spf.Message);
        }
        else
        {
            spfDomain = mailFrom;
            spfPass = spf.Status == SesRecordCheckStatus.Ok;
            spfAligned = spfPass && !strictSpf;
            if (!spfPass)
            {
                findings.Add(Finding.Error("SesMailFromSpfFails",
                    $"SES uses {mailFrom} as MAIL FROM but its SPF record does not authorize SES ({spf.Status}): SPF will not pass.", "RFC 7208 §4.5", mailFrom));
                changes.Add(spf.Message);
            }
            else if (strictSpf)
            {
                findings.Add(Finding.Warning("SesSpfStrictAlignment",
                    $"The DMARC record sets aspf=s: the MAIL FROM {mailFrom} is a subdomain of {domain}, so SPF never aligns strictly. Remove aspf=s (relaxed is the default).", "RFC 7489 §3.1.2", domain));
                changes.Add("Remove aspf=s from the DMARC record so the custom MAIL FROM aligns.");
            }
        }

        // DKIM (RFC 6376) and its alignment (RFC 7489 §3.1.1): all three CNAMEs let SES sign with d=<domain>.
        bool dkimPass, dkimAligned;
        string dkimDomain;
        if (tokens == null)
        {
            dkimDomain = SesRegion.AmazonSesDomain; dkimPass = !rejected; dkimAligned = false;
            findings.Add(Finding.Warning("SesDkimNotChecked",
                "No DKIM tokens were given or reported, so only SES's own amazonses.com signature can be counted on; it does not align. Pass -Token, or let the API supply them.",
                "RFC 7489 §3.1.1", domain));
        }
        else if (dkimRows.All(r => r.Status == SesRecordCheckStatus.Ok))
        {
            dkimDomain = domain; dkimPass = !rejected; dkimAligned = !rejected;
        }
        else
        {
            dkimDomain = SesRegion.AmazonSesDomain; dkimPass = !rejected; dkimAligned = false;
            findings.Add(Finding.Error("SesDkimNotAligned",
                $"Not all three Easy DKIM CNAMEs are right, so SES cannot sign with d={domain}; only its amazonses.com signature remains, which does not align.",
                "RFC 7489 §3.1.1", domain));
            changes.AddRange(dkimRows.Where(r => r.Status != SesRecordCheckStatus.Ok).Select(r => r.Message));
        }

        // DMARC (RFC 7489 §6.6).
        string result, policy = string.Empty, recordDomain = string.Empty, disposition = "none";
        if (dmarc.Answer.IsError)
        {
            result = "TempError";
            changes.Add($"The DMARC record could not be looked up ({dmarc.Answer.Describe()}); check the name servers of {domain}.");
        }
        else if (dmarc.Records.Count != 1)
        {
            result = "None";
            findings.Add(dmarc.Records.Count == 0
                ? Finding.Error("SesDmarcMissing", $"No DMARC record for {domain}: receivers reach no DMARC result and apply no policy. Publish _dmarc.{domain} TXT \"v=DMARC1; p=none;\".", "RFC 7489 §6.1", domain)
                : Finding.Error("SesDmarcMultiple", $"Several DMARC records: receivers ignore them all. Keep one.", "RFC 7489 §6.6.3", domain));
            changes.Add(dmarc.Records.Count == 0
                ? $"Publish _dmarc.{domain} TXT \"v=DMARC1; p=none;\" (add rua=mailto:... to receive reports)."
                : $"Keep exactly one DMARC record at {dmarc.QueriedName}.");
        }
        else
        {
            recordDomain = dmarc.RecordDomain;
            dmarc.Tags.TryGetValue("p", out policy);
            if (recordDomain != domain && dmarc.Tags.TryGetValue("sp", out var sp)) policy = sp;
            policy = (policy ?? "none").ToLowerInvariant();
            var pass = spfAligned || dkimAligned;
            result = pass ? "Pass" : "Fail";
            disposition = pass ? "none" : policy;
            if (pass && !spfAligned)
                findings.Add(Finding.Info("SesDmarcRestsOnDkim",
                    $"DMARC passes through DKIM alone (d={domain}); SPF passes for {spfDomain} but does not align. If DKIM ever breaks (a forwarder that alters the message), DMARC fails.",
                    "RFC 7489 §4.2", domain));
            if (!pass)
                findings.Add(Finding.Error("SesDmarcFails",
                    $"Neither SPF nor DKIM aligns with {domain}: DMARC fails and receivers apply p={policy}.", "RFC 7489 §6.6.2", domain));
        }

        return new SesDomainVerdict(domain, domain, spfDomain, spfPass, spfAligned, dkimDomain, dkimPass, dkimAligned, recordDomain, policy ?? string.Empty,
            result, disposition, changes.Where(c => !string.IsNullOrEmpty(c)).Distinct().ToList(), findings);
    }
}
