using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Spf;

namespace MailAuth.Ses;

/// <summary>
/// Compares what an SES identity needs in DNS with what the DNS holds (Test-SesDomainSetup): one
/// <see cref="SesRecordCheck"/> per required record, and a <see cref="SesDomainVerdict"/> saying
/// whether SPF and DKIM will pass and align and what DMARC result a receiver reaches.
/// </summary>
public sealed class SesDomainSetupInspector
{
    private readonly IDnsResolver _resolver;
    private readonly PublicSuffixList _publicSuffixList;

    public SesDomainSetupInspector(IDnsResolver resolver, PublicSuffixList publicSuffixList = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _publicSuffixList = publicSuffixList ?? PublicSuffixList.Default;
    }

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

        var keyFindings = new List<Finding>();
        if (tokens != null && rows.All(r => r.Status == SesRecordCheckStatus.Ok))
            keyFindings.AddRange(await CheckDkimKeysAsync(domain, tokens, cancellationToken).ConfigureAwait(false));

        SesRecordCheck mx = null, spf = null;
        if (mailFrom != null)
        {
            mx = await CheckMailFromMxAsync(domain, mailFrom, region, cancellationToken).ConfigureAwait(false);
            spf = await CheckMailFromSpfAsync(domain, mailFrom, cancellationToken).ConfigureAwait(false);
            rows.Add(mx);
            rows.Add(spf);
        }

        var discovery = await new DmarcPolicyDiscoverer(_resolver, _publicSuffixList).DiscoverAsync(domain, DmarcDiscoveryMode.TreeWalk, false, cancellationToken).ConfigureAwait(false);
        rows.Add(DmarcRow(domain, discovery));

        var verdict = await JudgeAsync(domain, region, tokens, rows.Where(r => r.Purpose == DkimPurpose).ToList(), mailFrom, request.BehaviorOnMxFailure, mx, spf, discovery, keyFindings, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// With all CNAMEs right, follows them to the keys SES publishes (DkimKeyInspector, RFC 6376 §3.6.2.2).
    /// A missing key is worth a warning, not a row: SES publishes keys once it has verified the CNAMEs.
    /// </summary>
    private async Task<List<Finding>> CheckDkimKeysAsync(string domain, IReadOnlyList<string> tokens, CancellationToken ct)
    {
        var findings = new List<Finding>();
        var inspector = new DkimKeyInspector(_resolver);
        foreach (var token in tokens)
        {
            var key = await inspector.InspectAsync(domain, token, ct).ConfigureAwait(false);
            if (key.Status == RecordStatus.Found && !key.Revoked)
                findings.Add(Finding.Info("SesDkimKeyFound", $"{key.Name} leads to a {key.KeyType ?? "rsa"} key{(key.KeySize.HasValue ? " of " + key.KeySize + " bits" : string.Empty)} at {key.CnameTarget ?? key.Name}.", "RFC 6376 §3.6.2.2", key.Name));
            else if (key.Status == RecordStatus.Error)
                findings.Add(Finding.Info("SesDkimKeyLookupFailed", $"Could not look up the key behind {key.Name} ({key.ErrorKind}); the CNAME itself is right.", "RFC 6376 §3.6.2.2", key.Name));
            else
                findings.Add(Finding.Warning("SesDkimKeyNotFound",
                    $"{key.Name} is the right CNAME but no usable key is published at {key.CnameTarget ?? "its target"} ({(key.Revoked ? "revoked" : key.Status.ToString())}). SES publishes the key once it has verified the identity; if the identity is verified, the token may belong to another identity or account.",
                    "RFC 6376 §3.6.2.2", key.Name));
        }
        return findings;
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
        var inspected = await new SpfRecordInspector(_resolver).InspectAsync(mailFrom, false, ct).ConfigureAwait(false);
        if (inspected.Status == RecordStatus.Error)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, null, SesRecordCheckStatus.Error, purpose,
                $"Could not look up TXT {mailFrom} ({inspected.ErrorKind}); this says nothing about whether the SPF record exists.", inspected.ErrorKind);
        if (inspected.Status == RecordStatus.NotFound)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, null, SesRecordCheckStatus.Missing, purpose,
                $"Publish {mailFrom} TXT \"{expected}\"; without it SPF has no policy for SES's MAIL FROM (RFC 7208 §4.5: result none).");
        var multiple = inspected.Findings.FirstOrDefault(f => f.Code == SpfFindingCodes.MultipleRecords);
        if (multiple != null)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, inspected.Record, SesRecordCheckStatus.Conflict, purpose,
                multiple.Message + $" (RFC 7208 §4.5). Keep one: \"{expected}\".");
        var syntax = inspected.Findings.FirstOrDefault(f => f.Code == SpfFindingCodes.SyntaxError);
        if (syntax != null)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, inspected.Record, SesRecordCheckStatus.Mismatch, purpose, syntax.Message);
        var includesSes = inspected.Terms != null && inspected.Terms.Any(t => t.IsMechanism && t.Qualifier == SpfQualifier.Pass
            && string.Equals(t.Name, "include", StringComparison.OrdinalIgnoreCase) && string.Equals(t.Value, SesRegion.AmazonSesDomain, StringComparison.OrdinalIgnoreCase));
        if (includesSes)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, inspected.Record, SesRecordCheckStatus.Ok, purpose, null);
        return new SesRecordCheck(domain, mailFrom, "TXT", expected, inspected.Record, SesRecordCheckStatus.Mismatch, purpose,
            $"The SPF record of {mailFrom} does not include amazonses.com, so SES's servers fail SPF; add include:amazonses.com, e.g. \"{expected}\".");
    }

    private static SesRecordCheck DmarcRow(string domain, DmarcRecordResult discovery)
    {
        const string purpose = "DMARC";
        const string expected = "v=DMARC1; p=none;";
        var name = "_dmarc." + domain;
        if (discovery.Status == RecordStatus.Error)
            return new SesRecordCheck(domain, name, "TXT", expected, null, SesRecordCheckStatus.Error, purpose,
                $"Could not look up the DMARC policy of {domain} ({discovery.ErrorKind}); this says nothing about whether it exists.", discovery.ErrorKind);
        var multiple = discovery.Findings.FirstOrDefault(f => f.Code == DmarcFindingCode.MultipleRecords);
        if (multiple != null)
            return new SesRecordCheck(domain, "_dmarc." + (string.IsNullOrEmpty(multiple.Subject) ? domain : multiple.Subject), "TXT", expected, null, SesRecordCheckStatus.Conflict, purpose, multiple.Message);
        if (discovery.Status == RecordStatus.NotFound)
            return new SesRecordCheck(domain, name, "TXT", expected, null, SesRecordCheckStatus.Missing, purpose,
                $"Publish {name} TXT \"{expected}\" (start with p=none, add rua= for reports; New-DmarcRecord builds it); without a DMARC record receivers apply no policy and large mailbox providers reject bulk mail (RFC 9989 §4.10.1).");
        var at = "_dmarc." + discovery.RecordDomain;
        if (discovery.AppliedPolicy == null)
            return new SesRecordCheck(domain, at, "TXT", expected, discovery.Record, SesRecordCheckStatus.Mismatch, purpose,
                $"The DMARC record at {at} has no usable policy; fix it, e.g. \"{expected}\".");
        return new SesRecordCheck(domain, at, "TXT", expected, discovery.Record, SesRecordCheckStatus.Ok, purpose, null);
    }

    private async Task<SesDomainVerdict> JudgeAsync(string domain, SesRegion region, IReadOnlyList<string> tokens, List<SesRecordCheck> dkimRows, string mailFrom,
        SesBehaviorOnMxFailure behavior, SesRecordCheck mx, SesRecordCheck spf, DmarcRecordResult discovery, List<Finding> keyFindings, CancellationToken ct)
    {
        var changes = new List<string>();
        var findings = new List<Finding>(keyFindings);
        var sesMailFrom = region.Name + "." + SesRegion.AmazonSesDomain;

        // Which MAIL FROM SES will use and whether SPF passes for it (RFC 7208).
        string spfDomain;
        bool spfPass;
        var rejected = false;
        if (mailFrom == null)
        {
            spfDomain = sesMailFrom; spfPass = true;
            changes.Add($"Optional but recommended: configure a custom MAIL FROM domain (e.g. mail.{domain}) so SPF aligns too.");
        }
        else if (mx.Status != SesRecordCheckStatus.Ok)
        {
            if (behavior == SesBehaviorOnMxFailure.RejectMessage)
            {
                rejected = true;
                spfDomain = mailFrom; spfPass = false;
                findings.Add(Finding.Error("SesMailFromRejects",
                    $"The MX record of {mailFrom} is not right and BehaviorOnMxFailure is RejectMessage: SES refuses to send (MailFromDomainNotVerified).", "Amazon SES custom MAIL FROM", mailFrom));
            }
            else if (mx.Status == SesRecordCheckStatus.Error)
            {
                spfDomain = sesMailFrom; spfPass = true;
                findings.Add(Finding.Warning("SesMailFromLookupFailed",
                    $"The MX record of {mailFrom} could not be looked up; this verdict assumes the worst case, that SES falls back to a MAIL FROM under {sesMailFrom} (SPF passes, does not align). Check again.", "RFC 9989 §4.4.2", mailFrom));
            }
            else
            {
                spfDomain = sesMailFrom; spfPass = true;
                findings.Add(Finding.Warning("SesMailFromFallsBack",
                    $"The MX record of {mailFrom} is not right, so SES falls back to a MAIL FROM under {sesMailFrom}: SPF passes but does not align.", "RFC 9989 §4.4.2", mailFrom));
            }
            changes.Add(mx.Message);
            if (spf.Status != SesRecordCheckStatus.Ok) changes.Add(spf.Message);
        }
        else
        {
            spfDomain = mailFrom;
            spfPass = spf.Status == SesRecordCheckStatus.Ok;
            if (!spfPass)
            {
                findings.Add(Finding.Error("SesMailFromSpfFails",
                    $"SES uses {mailFrom} as MAIL FROM but its SPF record does not authorize SES ({spf.Status}): SPF will not pass.", "RFC 7208 §4.5", mailFrom));
                changes.Add(spf.Message);
            }
        }

        // Which DKIM signatures verify (RFC 6376): SES always adds d=amazonses.com; d=<domain> needs all three CNAMEs.
        var ownDkim = tokens != null && dkimRows.All(r => r.Status == SesRecordCheckStatus.Ok);
        var passing = new List<string>();
        if (!rejected)
        {
            if (ownDkim) passing.Add(domain);
            passing.Add(SesRegion.AmazonSesDomain);
        }
        if (tokens == null)
            findings.Add(Finding.Warning("SesDkimNotChecked",
                "No DKIM tokens were given or reported, so only SES's own amazonses.com signature can be counted on; it does not align. Pass -Token, or let the API supply them.",
                "RFC 9989 §4.4.1", domain));
        else if (dkimRows.Any(r => r.Status == SesRecordCheckStatus.Error) && dkimRows.All(r => r.Status == SesRecordCheckStatus.Ok || r.Status == SesRecordCheckStatus.Error))
        {
            findings.Add(Finding.Warning("SesDkimLookupFailed",
                $"Some Easy DKIM CNAMEs could not be looked up; this verdict assumes the worst case, that SES signs only with amazonses.com (no alignment). Check again.",
                "RFC 9989 §4.4.1", domain));
            changes.AddRange(dkimRows.Where(r => r.Status != SesRecordCheckStatus.Ok).Select(r => r.Message));
        }
        else if (!ownDkim)
        {
            findings.Add(Finding.Error("SesDkimNotAligned",
                $"Not all three Easy DKIM CNAMEs are right, so SES cannot sign with d={domain}; only its amazonses.com signature remains, which does not align.",
                "RFC 9989 §4.4.1", domain));
            changes.AddRange(dkimRows.Where(r => r.Status != SesRecordCheckStatus.Ok).Select(r => r.Message));
        }

        // What a receiver concludes (RFC 9989 §5.3), through DmarcEvaluator.
        var evaluation = await new DmarcEvaluator(_resolver, _publicSuffixList)
            .EvaluateAsync(new DmarcEvaluationInput(domain, spfDomain, spfPass ? SpfResult.Pass : SpfResult.Fail, passing), DmarcDiscoveryMode.TreeWalk, ct).ConfigureAwait(false);
        bool spfAligned, dkimAligned;
        if (evaluation.Record != null)
        {
            spfAligned = evaluation.SpfAligned;
            dkimAligned = evaluation.DkimAligned;
        }
        else
        {
            // No policy to apply: say whether they would align under the default relaxed mode once a record exists.
            var alignment = new IdentifierAlignment(_resolver, _publicSuffixList);
            spfAligned = spfPass && (await alignment.CheckAsync(AuthenticatedIdentifierKind.Spf, domain, spfDomain, AlignmentMode.Relaxed, DmarcDiscoveryMode.TreeWalk, ct).ConfigureAwait(false)).Aligned;
            dkimAligned = ownDkim && !rejected;
        }

        if (spfPass && !spfAligned)
        {
            if (mailFrom != null && spfDomain == mailFrom && evaluation.Record?.SpfAlignment == AlignmentMode.Strict)
            {
                findings.Add(Finding.Warning("SesSpfStrictAlignment",
                    $"The DMARC record sets aspf=s: the MAIL FROM {mailFrom} is a subdomain of {domain}, so SPF never aligns strictly. Remove aspf=s (relaxed is the default).", "RFC 9989 §4.4.2", domain));
                changes.Add("Remove aspf=s from the DMARC record so the custom MAIL FROM aligns.");
            }
            else
            {
                findings.Add(Finding.Warning("SesSpfNotAligned",
                    $"SES sends with a MAIL FROM under {spfDomain}, so SPF passes for it but does not align with {domain}; DMARC rests on DKIM alone. Set a custom MAIL FROM such as mail.{domain} (New-SesMailFromConfig, Set-SesMailFromDomain).",
                    "RFC 9989 §4.4.2", domain));
            }
        }

        switch (evaluation.Result)
        {
            case DmarcResult.TempError:
                changes.Add($"The DMARC policy could not be looked up ({discovery.ErrorKind}); check the name servers of {domain}.");
                break;
            case DmarcResult.None:
                findings.Add(Finding.Error("SesDmarcMissing",
                    $"No DMARC policy applies to {domain}: receivers reach no DMARC result. Publish _dmarc.{domain} TXT \"v=DMARC1; p=none;\" (New-DmarcRecord).", "RFC 9989 §4.10.1", domain));
                changes.Add($"Publish _dmarc.{domain} TXT \"v=DMARC1; p=none;\" (add rua=mailto:... to receive reports).");
                break;
            case DmarcResult.PermError:
                changes.Add($"Fix the DMARC record at _dmarc.{evaluation.RecordDomain}: {evaluation.Reason}");
                break;
            case DmarcResult.Pass:
                if (!spfAligned)
                    findings.Add(Finding.Info("SesDmarcRestsOnDkim",
                        $"DMARC passes through DKIM alone (d={domain}); SPF passes for {spfDomain} but does not align. If DKIM ever breaks (a forwarder that alters the message), DMARC fails.",
                        "RFC 9989 §5.3.5", domain));
                break;
            case DmarcResult.Fail:
                findings.Add(Finding.Error("SesDmarcFails",
                    $"Neither SPF nor DKIM aligns with {domain}: DMARC fails and receivers apply p={evaluation.AppliedPolicy?.ToString().ToLowerInvariant()} ({evaluation.Disposition}).", "RFC 9989 §5.3.5", domain));
                break;
        }

        return new SesDomainVerdict(identity: domain, fromDomain: domain, spfDomain: spfDomain, spfPass: spfPass, spfAligned: spfAligned,
            dkimDomain: ownDkim && !rejected ? domain : SesRegion.AmazonSesDomain, dkimPass: !rejected, dkimAligned: dkimAligned,
            dmarcRecordDomain: evaluation.RecordDomain ?? string.Empty,
            dmarcPolicy: evaluation.AppliedPolicy?.ToString().ToLowerInvariant() ?? string.Empty,
            dmarcResult: evaluation.Result, disposition: evaluation.Disposition,
            changes: changes.Where(c => !string.IsNullOrEmpty(c)).Distinct().ToList(), findings: findings);
    }
}
