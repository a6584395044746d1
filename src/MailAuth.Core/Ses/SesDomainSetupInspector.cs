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
using MailAuth.Publishing;
using System.Text.RegularExpressions;

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

    /// <summary>A MAIL FROM MX on the SMTP submission host (email-smtp.&lt;region&gt;.amazonaws.com) instead of the feedback endpoint.</summary>
    public const string MailFromMxSubmissionHostCode = "SesMailFromMxSubmissionHost";
    /// <summary>A MAIL FROM MX on the feedback endpoint of another region than the identity's.</summary>
    public const string MailFromMxWrongRegionCode = "SesMailFromMxWrongRegion";
    /// <summary>An SPF record on the MAIL FROM domain without include:amazonses.com.</summary>
    public const string MailFromSpfNoSesIncludeCode = "SesMailFromSpfNoSesInclude";
    /// <summary>Easy DKIM signs with a 1024-bit RSA key.</summary>
    public const string DkimKey1024BitCode = "SesDkimKey1024Bit";
    /// <summary>When SES last generated the identity's Easy DKIM key.</summary>
    public const string DkimKeyAgeCode = "SesDkimKeyAge";
    /// <summary>DKIM is verified but no custom MAIL FROM is set: SPF never aligns.</summary>
    public const string MailFromNotStartedCode = "SesMailFromNotStarted";
    /// <summary>The identity is a Deterministic Easy DKIM replica; its records are its parent region's.</summary>
    public const string DkimReplicaCode = "SesDkimReplica";
    /// <summary>The region was inferred from the MAIL FROM MX.</summary>
    public const string RegionInferredCode = "SesRegionInferred";
    /// <summary>The region is not known (no -Region, no API, no MAIL FROM MX to infer it from).</summary>
    public const string RegionUnknownCode = "SesRegionUnknown";
    /// <summary>The SES API was not asked: SES's own states are not known.</summary>
    public const string ApiNotAskedCode = "SesApiNotAsked";

    private const string DkimPurpose = "Easy DKIM";
    private const string ByodkimPurpose = "BYODKIM";
    private const string SesGuide = "Amazon SES Developer Guide";
    private static readonly Regex SubmissionHost = new Regex(@"^email-smtp\.(?<region>[a-z0-9-]+)\.amazonaws\.com$", RegexOptions.CultureInvariant);
    private static readonly Regex FeedbackHost = new Regex(@"^feedback-smtp\.(?<region>[a-z0-9-]+)\.amazonses\.com$", RegexOptions.CultureInvariant);
    private static readonly Regex Selector = new Regex("^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Checks one identity. Input is validated first (InvalidDomainName, SesUnknownRegion,
    /// SesInvalidDkimToken, SesMailFromOutsideIdentity as <see cref="MailAuthInputException"/>).
    /// </summary>
    public async Task<SesDomainSetupResult> InspectAsync(SesDomainSetupRequest request, CancellationToken cancellationToken = default)
    {
        if (request == null) throw new ArgumentNullException(nameof(request));
        var domain = SesIdentityName.Domain(request.Identity);
        var api = request.EmailIdentity;
        var origin = api?.Dkim?.SigningAttributesOrigin;
        var byodkim = origin == "EXTERNAL";
        var parent = ReplicaParent(origin);
        var region = string.IsNullOrWhiteSpace(request.Region) ? null : SesRegion.Get(request.Region);
        var given = request.Tokens != null && request.Tokens.Count > 0;
        var tokens = !given ? ObservedTokens(request.ObservedSelectors)
            : byodkim ? request.Tokens.Select(t => (t ?? string.Empty).Trim().ToLowerInvariant()).Where(t => Selector.IsMatch(t)).Distinct().ToList()
            : SesDkimToken.Validate(request.Tokens);
        var mailFrom = string.IsNullOrWhiteSpace(request.MailFromDomain) ? null : SesIdentityName.MailFromDomain(request.MailFromDomain, domain);
        var findings = new List<Finding>();

        // The MAIL FROM MX first: without the API it is what tells the region.
        var mxAnswer = mailFrom == null ? null : await _resolver.QueryAsync(mailFrom, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        if (region == null && mxAnswer != null && !mxAnswer.IsError)
        {
            region = InferRegion(mxAnswer);
            if (region != null)
                findings.Add(Finding.Info(RegionInferredCode,
                    $"The region {region.Name} was inferred from the MX record of {mailFrom}; pass -Region if the identity sends from another one.", SesGuide, mailFrom));
        }
        var zoneRegion = parent ?? region;
        var zone = zoneRegion != null || !string.IsNullOrWhiteSpace(request.SigningHostedZone)
            ? SesDkimRecordBuilder.ResolveHostedZone(zoneRegion?.Name, request.SigningHostedZone) : null;
        var regionName = region?.Name;

        var rows = new List<SesRecordCheck>();
        if (byodkim)
            foreach (var selector in tokens)
                rows.Add(await CheckByodkimKeyAsync(domain, selector, regionName, cancellationToken).ConfigureAwait(false));
        else
            foreach (var token in tokens)
                rows.Add(await CheckDkimCnameAsync(domain, token, zone, regionName, cancellationToken).ConfigureAwait(false));
        if (!byodkim && tokens.Count < 3)
            rows.Add(new SesRecordCheck(domain, "*._domainkey." + domain, "CNAME", "<token>." + (zone ?? SesRegion.GlobalDkimHostedZone), null, SesRecordCheckStatus.NotChecked, DkimPurpose,
                tokens.Count == 0
                    ? "The Easy DKIM tokens are known only to SES: pass -Token (from the SES console or Get-SesEmailIdentity), or DMARC aggregate reports with -DmarcReport, whose rows carry the selectors SES signs with."
                    : $"{tokens.Count} of the three Easy DKIM tokens were seen in DMARC reports; the others are known only to SES (pass -Token to check all three).",
                region: regionName));
        if (byodkim && tokens.Count == 0)
            rows.Add(new SesRecordCheck(domain, "*._domainkey." + domain, "TXT", "v=DKIM1; k=rsa; p=<public key>", null, SesRecordCheckStatus.NotChecked, ByodkimPurpose,
                "SES did not report the BYODKIM selector; check the key with Get-DkimRecord -Selector.", region: regionName));

        var keyFindings = new List<Finding>();
        var checkedDkim = rows.Where(r => r.Purpose == DkimPurpose && r.Status != SesRecordCheckStatus.NotChecked).ToList();
        if (!byodkim && checkedDkim.Count > 0 && checkedDkim.All(r => r.Status == SesRecordCheckStatus.Ok))
            keyFindings.AddRange(await CheckDkimKeysAsync(domain, tokens, cancellationToken).ConfigureAwait(false));

        SesRecordCheck mx = null, spf = null;
        if (mailFrom != null)
        {
            mx = CheckMailFromMx(domain, mailFrom, mxAnswer, region, request.OtherRegions);
            spf = await CheckMailFromSpfAsync(domain, mailFrom, regionName, cancellationToken).ConfigureAwait(false);
            rows.Add(mx);
            rows.Add(spf);
        }

        var discovery = await new DmarcPolicyDiscoverer(_resolver, _publicSuffixList).DiscoverAsync(domain, DmarcDiscoveryMode.TreeWalk, false, cancellationToken).ConfigureAwait(false);
        rows.Add(DmarcRow(domain, discovery, regionName));

        findings.AddRange(rows.Where(r => r.Code.Length > 0).Select(r => Finding.Error(r.Code, r.Message, MistakeReference(r.Code), r.Name)));
        findings.AddRange(AssessIdentity(domain, api, parent, region, request.Now ?? DateTimeOffset.UtcNow));
        if (region == null)
            findings.Add(Finding.Warning(RegionUnknownCode,
                $"The region of {domain} is not known (no -Region, no API answer, no SES feedback MX at the MAIL FROM domain): the MAIL FROM MX and the DKIM hosted zone could not be checked against it. Pass -Region.", SesGuide, domain));

        var verdict = await JudgeAsync(domain, region, byodkim || tokens.Count > 0, rows.Where(r => r.Purpose == DkimPurpose || r.Purpose == ByodkimPurpose).ToList(),
            mailFrom, request.BehaviorOnMxFailure, mx, spf, discovery, keyFindings.Concat(findings).ToList(), rows, origin, cancellationToken).ConfigureAwait(false);
        return new SesDomainSetupResult(domain, rows, verdict);
    }

    /// <summary>The parent region of a Deterministic Easy DKIM replica (SigningAttributesOrigin AWS_SES_&lt;REGION&gt;); null otherwise.</summary>
    public static SesRegion ReplicaParent(string signingAttributesOrigin)
    {
        const string prefix = "AWS_SES_";
        if (signingAttributesOrigin == null || !signingAttributesOrigin.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return SesRegion.TryGet(signingAttributesOrigin.Substring(prefix.Length).Replace('_', '-'), out var parent) ? parent : null;
    }

    /// <summary>The region named by an MX target: SES's feedback endpoint, or the SMTP submission host pasted in its place.</summary>
    private static SesRegion InferRegion(DnsAnswer mx)
    {
        foreach (var target in mx.Records.Where(r => r.Type == DnsRecordType.MX).Select(r => r.Target))
        {
            var m = FeedbackHost.Match(target);
            if (!m.Success) m = SubmissionHost.Match(target);
            if (m.Success && SesRegion.TryGet(m.Groups["region"].Value, out var region)) return region;
        }
        return null;
    }

    private static List<string> ObservedTokens(IReadOnlyList<string> selectors) =>
        (selectors ?? new List<string>()).Select(s => (s ?? string.Empty).Trim().ToLowerInvariant())
            .Where(s => s.Length == 32 && s.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))).Distinct().Take(3).ToList();

    private static string MistakeReference(string code) =>
        code == MailFromSpfNoSesIncludeCode ? "RFC 7208 §5.2" : "Amazon SES custom MAIL FROM";

    private async Task<SesRecordCheck> CheckDkimCnameAsync(string domain, string token, string zone, string region, CancellationToken ct)
    {
        var name = token + "._domainkey." + domain;
        var expected = token + "." + (zone ?? SesRegion.GlobalDkimHostedZone);
        const string reference = "Amazon SES Easy DKIM";
        var answer = await _resolver.QueryAsync(name, DnsRecordType.CNAME, ct).ConfigureAwait(false);
        if (answer.IsError)
            return new SesRecordCheck(domain, name, "CNAME", expected, null, SesRecordCheckStatus.Error, DkimPurpose,
                $"Could not look up {name}: {answer.Describe()}. This says nothing about whether the record exists; try again or ask another server.", answer.ErrorKind, region: region);
        var targets = answer.Records.Where(r => r.Type == DnsRecordType.CNAME).Select(r => r.Target).Distinct().ToList();
        var add = zone == null ? null : new DnsChange(DnsChangeAction.Add, name, "CNAME", null, expected, reason: $"SES signs with d={domain} only once all three Easy DKIM CNAMEs point at its keys.", reference: reference);
        if (targets.Count == 0)
        {
            // Something else at the name (a TXT pasted instead of a CNAME) is a mismatch, not a gap.
            var txt = await _resolver.QueryAsync(name, DnsRecordType.TXT, ct).ConfigureAwait(false);
            var other = txt.IsError ? new List<string>() : txt.TxtStrings().ToList();
            if (other.Count > 0)
            {
                // A CNAME cannot share its name with other data (RFC 1034 §3.6.2): the TXT goes first.
                var fix = other.Select(t => new DnsChange(DnsChangeAction.Delete, name, "TXT", t, null, reason: $"{name} holds a TXT record where SES needs a CNAME, and a CNAME cannot share its name with other records.", reference: "RFC 1034 §3.6.2")).ToList();
                if (add != null) fix.Add(add);
                return new SesRecordCheck(domain, name, "CNAME", expected, "TXT " + string.Join(" | ", other), SesRecordCheckStatus.Mismatch, DkimPurpose,
                    $"{name} has a TXT record where SES needs a CNAME: replace it with CNAME {expected}.", changes: fix, region: region);
            }
            return new SesRecordCheck(domain, name, "CNAME", expected, null, SesRecordCheckStatus.Missing, DkimPurpose,
                zone == null
                    ? $"Publish {name} CNAME {token}.<the region's Easy DKIM zone> (dkim.amazonses.com in most regions); the region is not known, pass -Region."
                    : $"Publish {name} CNAME {expected}; until all three DKIM CNAMEs exist SES cannot sign with d={domain}.",
                changes: add == null ? null : new[] { add }, region: region);
        }
        var found = string.Join(" | ", targets);
        if (targets.Count == 1 && (zone == null ? SesRegion.AllDkimHostedZones.Any(z => targets[0] == token + "." + z) : targets[0] == expected))
            return new SesRecordCheck(domain, name, "CNAME", zone == null ? targets[0] : expected, found, SesRecordCheckStatus.Ok, DkimPurpose, null, region: region);
        var replace = zone == null || targets.Count != 1 ? null
            : new[] { new DnsChange(DnsChangeAction.Replace, name, "CNAME", targets[0], expected, reason: $"{name} must point at {expected}.", reference: reference) };
        var wrongZone = SesRegion.AllDkimHostedZones.FirstOrDefault(z => z != zone && targets.Contains(token + "." + z));
        if (wrongZone != null)
            return new SesRecordCheck(domain, name, "CNAME", expected, found, SesRecordCheckStatus.Mismatch, DkimPurpose,
                $"{name} points at {wrongZone}, the Easy DKIM zone of another region; the identity's region uses {zone}. Change the CNAME to {expected}.", changes: replace, region: region);
        return new SesRecordCheck(domain, name, "CNAME", expected, found, SesRecordCheckStatus.Mismatch, DkimPurpose,
            $"{name} points at {found}; change the CNAME to {expected} (check for a typo or a token from another identity).", changes: replace, region: region);
    }

    /// <summary>
    /// A BYODKIM identity signs with the key the owner generated: its selector's TXT record must hold the public key
    /// (RFC 6376 §3.6.1). The key itself is known only to the owner, so no change is proposed.
    /// </summary>
    private async Task<SesRecordCheck> CheckByodkimKeyAsync(string domain, string selector, string region, CancellationToken ct)
    {
        const string expected = "v=DKIM1; k=rsa; p=<the public key of the private key given to SES>";
        var key = await new DkimKeyInspector(_resolver).InspectAsync(domain, selector, ct).ConfigureAwait(false);
        var name = key.Name;
        if (key.Status == RecordStatus.Error)
            return new SesRecordCheck(domain, name, "TXT", expected, null, SesRecordCheckStatus.Error, ByodkimPurpose,
                $"Could not look up {name} ({key.ErrorKind}); this says nothing about whether the key is published.", key.ErrorKind, region: region);
        if (key.Status == RecordStatus.NotFound)
            return new SesRecordCheck(domain, name, "TXT", expected, null, SesRecordCheckStatus.Missing, ByodkimPurpose,
                $"Publish the public key of the BYODKIM selector {selector} at {name} TXT \"v=DKIM1; k=rsa; p=...\" (New-SesDkimRecord -PublicKey builds it); without it no receiver can verify SES's signatures.", region: region);
        var summary = $"{key.KeyType ?? "rsa"}{(key.KeySize.HasValue ? " " + key.KeySize + " bits" : string.Empty)}";
        if (key.Revoked || key.KeySize < 1024)
            return new SesRecordCheck(domain, name, "TXT", expected, key.Record, SesRecordCheckStatus.Mismatch, ByodkimPurpose,
                key.Revoked ? $"The key at {name} is revoked (empty p=): signatures with selector {selector} fail. Publish the public key of the private key SES signs with."
                    : $"The key at {name} is {summary}: receivers ignore RSA keys under 1024 bits (RFC 8301 §3.2). Generate a 2048-bit key and give SES the new private key.", region: region);
        return new SesRecordCheck(domain, name, "TXT", expected, key.Record, SesRecordCheckStatus.Ok, ByodkimPurpose, null, region: region);
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

    private static SesRecordCheck CheckMailFromMx(string domain, string mailFrom, DnsAnswer answer, SesRegion region, IReadOnlyList<string> otherRegions)
    {
        const string purpose = "MAIL FROM MX";
        const string reference = "Amazon SES custom MAIL FROM";
        var exchange = region?.FeedbackMailExchange ?? "feedback-smtp.<region>.amazonses.com";
        var expected = "10 " + exchange;
        var regionName = region?.Name;
        if (answer.IsError)
            return new SesRecordCheck(domain, mailFrom, "MX", expected, null, SesRecordCheckStatus.Error, purpose,
                $"Could not look up MX {mailFrom}: {answer.Describe()}.", answer.ErrorKind, region: regionName);
        var mxs = answer.Records.Where(r => r.Type == DnsRecordType.MX).ToList();
        var found = string.Join(" | ", mxs.Select(r => r.Preference + " " + r.Target));
        var why = $"SES uses {mailFrom} as MAIL FROM only while it has exactly one MX record, {expected}.";
        DnsChange Publish() => new DnsChange(DnsChangeAction.Add, mailFrom, "MX", null, exchange, priority: 10, reason: why, reference: reference);
        DnsChange ReplaceWith(DnsResourceRecord old) => new DnsChange(DnsChangeAction.Replace, mailFrom, "MX", old.Target, exchange, priority: 10, reason: why, reference: reference, oldPriority: old.Preference);
        DnsChange Drop(DnsResourceRecord old) => new DnsChange(DnsChangeAction.Delete, mailFrom, "MX", old.Target, null, reason: why, reference: reference, oldPriority: old.Preference);
        if (mxs.Count == 0)
            return new SesRecordCheck(domain, mailFrom, "MX", expected, null, SesRecordCheckStatus.Missing, purpose,
                region == null
                    ? $"Publish {mailFrom} MX 10 feedback-smtp.<region>.amazonses.com for the identity's region (pass -Region to get the exact record); without it SES cannot use {mailFrom} as MAIL FROM."
                    : $"Publish {mailFrom} MX {expected}; without it SES cannot use {mailFrom} as MAIL FROM.",
                changes: region == null ? null : new[] { Publish() }, region: regionName);
        if (mxs.Count > 1)
        {
            List<DnsChange> fix = null;
            if (region != null)
            {
                var keep = mxs.FirstOrDefault(r => r.Target == exchange);
                fix = keep != null
                    ? mxs.Where(r => r != keep).Select(Drop).ToList()
                    : new[] { ReplaceWith(mxs[0]) }.Concat(mxs.Skip(1).Select(Drop)).ToList();
            }
            return new SesRecordCheck(domain, mailFrom, "MX", expected, found, SesRecordCheckStatus.Conflict, purpose,
                $"{mailFrom} has {mxs.Count} MX records; SES requires exactly one. Delete all but {expected}.", changes: fix, region: regionName);
        }
        var target = mxs[0].Target;
        if (target == exchange)
            return new SesRecordCheck(domain, mailFrom, "MX", expected, found, SesRecordCheckStatus.Ok, purpose, null, region: regionName);
        var submission = SubmissionHost.Match(target);
        if (submission.Success)
            return new SesRecordCheck(domain, mailFrom, "MX", expected, found, SesRecordCheckStatus.Mismatch, purpose,
                $"{mailFrom} MX points at {target}, the SMTP submission host that applications send through, not where SES receives bounces: SES never sees its feedback endpoint, so it does not use {mailFrom} as MAIL FROM. Change the MX to {expected}.",
                changes: region == null ? null : new[] { ReplaceWith(mxs[0]) }, code: MailFromMxSubmissionHostCode, region: regionName);
        var otherRegion = SesRegion.All.FirstOrDefault(r => r.FeedbackMailExchange == target);
        if (otherRegion != null)
        {
            var alsoThere = otherRegions != null && otherRegions.Contains(otherRegion.Name, StringComparer.OrdinalIgnoreCase);
            return new SesRecordCheck(domain, mailFrom, "MX", expected, found, SesRecordCheckStatus.Mismatch, purpose,
                alsoThere
                    ? $"{mailFrom} MX points at the feedback endpoint of {otherRegion.Name}, where the identity also lives. A MAIL FROM domain has one MX, so it serves one region: give the identity in {region?.Name} its own MAIL FROM domain (e.g. {region?.Name}.{mailFrom}) with MX {expected}."
                    : $"{mailFrom} MX points at the feedback endpoint of {otherRegion.Name}; the identity sends from {region?.Name}. Change it to {expected}.",
                changes: region == null || alsoThere ? null : new[] { ReplaceWith(mxs[0]) }, code: MailFromMxWrongRegionCode, region: regionName);
        }
        return new SesRecordCheck(domain, mailFrom, "MX", expected, found, SesRecordCheckStatus.Mismatch, purpose,
            $"{mailFrom} MX points at {target}; change it to {expected}.", changes: region == null ? null : new[] { ReplaceWith(mxs[0]) }, region: regionName);
    }

    private async Task<SesRecordCheck> CheckMailFromSpfAsync(string domain, string mailFrom, string region, CancellationToken ct)
    {
        const string purpose = "MAIL FROM SPF";
        var expected = SesMailFromConfig.SpfRecordValue;
        var inspected = await new SpfRecordInspector(_resolver).InspectAsync(mailFrom, false, ct).ConfigureAwait(false);
        var found = string.Join(" | ", inspected.Records);
        if (inspected.Status == RecordStatus.Error)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, null, SesRecordCheckStatus.Error, purpose,
                $"Could not look up TXT {mailFrom} ({inspected.ErrorKind}); this says nothing about whether the SPF record exists.", inspected.ErrorKind, region: region);
        if (inspected.Status == RecordStatus.NotFound)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, null, SesRecordCheckStatus.Missing, purpose,
                $"Publish {mailFrom} TXT \"{expected}\"; without it SPF has no policy for SES's MAIL FROM (RFC 7208 §4.5: result none).",
                changes: new[] { new DnsChange(DnsChangeAction.Add, mailFrom, "TXT", null, expected, reason: $"SPF passes for SES's servers only when {mailFrom} authorizes them.", reference: "RFC 7208 §4.5") },
                region: region);
        var multiple = inspected.Findings.FirstOrDefault(f => f.Code == SpfFindingCodes.MultipleRecords);
        if (multiple != null)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, found, SesRecordCheckStatus.Conflict, purpose,
                multiple.Message + $" (RFC 7208 §4.5). Keep one that includes amazonses.com, e.g. \"{expected}\".",
                changes: SpfRecordInspector.MergeChanges(mailFrom, inspected.Records, SesRegion.AmazonSesDomain), region: region);
        var syntax = inspected.Findings.FirstOrDefault(f => f.Code == SpfFindingCodes.SyntaxError);
        if (syntax != null)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, found, SesRecordCheckStatus.Mismatch, purpose, syntax.Message, region: region);
        var includesSes = inspected.Terms != null && inspected.Terms.Any(t => t.IsMechanism && t.Qualifier == SpfQualifier.Pass
            && string.Equals(t.Name, "include", StringComparison.OrdinalIgnoreCase) && string.Equals(t.Value, SesRegion.AmazonSesDomain, StringComparison.OrdinalIgnoreCase));
        if (includesSes)
            return new SesRecordCheck(domain, mailFrom, "TXT", expected, found, SesRecordCheckStatus.Ok, purpose, null, region: region);
        var fixedRecord = SpfRecordEditor.WithInclude(inspected.Record, SesRegion.AmazonSesDomain);
        return new SesRecordCheck(domain, mailFrom, "TXT", expected, found, SesRecordCheckStatus.Mismatch, purpose,
            $"The SPF record of {mailFrom} does not include amazonses.com, so mail SES sends with MAIL FROM {mailFrom} fails SPF; add include:amazonses.com: \"{fixedRecord}\".",
            changes: new[] { new DnsChange(DnsChangeAction.Replace, mailFrom, "TXT", inspected.Record, fixedRecord,
                reason: $"SES's servers are authorized for {mailFrom} only through include:amazonses.com; the record keeps every term it had.", reference: "RFC 7208 §5.2") },
            code: MailFromSpfNoSesIncludeCode, region: region);
    }

    private static SesRecordCheck DmarcRow(string domain, DmarcRecordResult discovery, string region)
    {
        const string purpose = "DMARC";
        const string expected = "v=DMARC1; p=none;";
        var name = "_dmarc." + domain;
        if (discovery.Status == RecordStatus.Error)
            return new SesRecordCheck(domain, name, "TXT", expected, null, SesRecordCheckStatus.Error, purpose,
                $"Could not look up the DMARC policy of {domain} ({discovery.ErrorKind}); this says nothing about whether it exists.", discovery.ErrorKind, region: region);
        var multiple = discovery.Findings.FirstOrDefault(f => f.Code == DmarcFindingCode.MultipleRecords);
        if (multiple != null)
            return new SesRecordCheck(domain, "_dmarc." + (string.IsNullOrEmpty(multiple.Subject) ? domain : multiple.Subject), "TXT", expected, null, SesRecordCheckStatus.Conflict, purpose, multiple.Message, region: region);
        if (discovery.Status == RecordStatus.NotFound)
            return new SesRecordCheck(domain, name, "TXT", expected, null, SesRecordCheckStatus.Missing, purpose,
                $"Publish {name} TXT \"{expected}\" (start with p=none, add rua= for reports; New-DmarcRecord builds it); without a DMARC record receivers apply no policy and large mailbox providers reject bulk mail (RFC 9989 §4.10.1).",
                changes: discovery.Changes, region: region);
        var at = "_dmarc." + discovery.RecordDomain;
        if (discovery.AppliedPolicy == null)
            return new SesRecordCheck(domain, at, "TXT", expected, discovery.Record, SesRecordCheckStatus.Mismatch, purpose,
                $"The DMARC record at {at} has no usable policy; fix it, e.g. \"{expected}\".", region: region);
        return new SesRecordCheck(domain, at, "TXT", expected, discovery.Record, SesRecordCheckStatus.Ok, purpose, null, region: region);
    }

    /// <summary>
    /// What the SES API reports beyond the records: its own findings (verification, DKIM state), a DEED replica, the
    /// Easy DKIM key's length and age, and a verified DKIM without a custom MAIL FROM. Without the API, one note that
    /// SES's own states are not known.
    /// </summary>
    private static IEnumerable<Finding> AssessIdentity(string domain, SesEmailIdentity api, SesRegion parent, SesRegion region, DateTimeOffset now)
    {
        if (api == null)
        {
            yield return Finding.Info(ApiNotAskedCode,
                $"The SES API was not asked: whether SES has verified {domain}, its DKIM and MAIL FROM states and its key length are not known; the rows show what DNS shows.", SesGuide, domain);
            yield break;
        }
        foreach (var f in api.Findings.Where(f => f.Code != "SesNoCustomMailFrom")) yield return f;
        var dkim = api.Dkim;
        if (parent != null)
            yield return Finding.Info(DkimReplicaCode,
                $"DKIM in {region?.Name ?? api.Region} is a Deterministic Easy DKIM replica of the identity in {parent.Name}: it signs with the parent's keys, so its CNAMEs are the parent's (into {parent.DkimHostedZone}). Key length and rotation are set on the parent.", SesGuide, domain);
        var easy = dkim != null && dkim.SigningAttributesOrigin != "EXTERNAL";
        var age = dkim?.LastKeyGenerationTimestamp.HasValue == true ? (int)Math.Floor((now - dkim.LastKeyGenerationTimestamp.Value).TotalDays) : (int?)null;
        var generated = age.HasValue ? $"generated on {dkim.LastKeyGenerationTimestamp.Value.UtcDateTime:yyyy-MM-dd} ({age} days ago)" : null;
        if (easy && dkim.CurrentSigningKeyLength == "RSA_1024_BIT")
        {
            var owner = parent != null ? $"on the parent identity in {parent.Name}" : $"in {api.Region}";
            var scheduled = dkim.NextSigningKeyLength == "RSA_2048_BIT";
            yield return Finding.Warning(DkimKey1024BitCode,
                $"Easy DKIM signs with a 1024-bit RSA key{(generated != null ? ", " + generated : string.Empty)}; 2048 bits is what receivers and NIST SP 800-131A expect. " +
                (scheduled
                    ? "The next key is already set to 2048 bits (NextSigningKeyLength RSA_2048_BIT); SES switches to it when it next rotates the key."
                    : $"Move to 2048 bits {owner}: aws sesv2 put-email-identity-dkim-signing-attributes --email-identity {domain} --signing-attributes-origin AWS_SES --signing-attributes NextSigningKeyLength=RSA_2048_BIT (PutEmailIdentityDkimSigningAttributes). The CNAMEs stay as they are; the key length can be changed at most once a day."),
                "RFC 8301 §3.2", domain);
        }
        else if (easy && generated != null)
            yield return Finding.Info(DkimKeyAgeCode,
                $"The Easy DKIM key ({(dkim.CurrentSigningKeyLength ?? "length not reported").Replace("RSA_", "RSA ").Replace("_BIT", " bits")}) was {generated}.", SesGuide, domain);
        var mailFromConfigured = api.MailFrom != null && api.MailFrom.IsConfigured && api.MailFrom.MailFromDomainStatus != "NOT_STARTED";
        if (dkim?.Status == "SUCCESS" && !mailFromConfigured)
            yield return Finding.Warning(MailFromNotStartedCode,
                $"DKIM is verified but no custom MAIL FROM domain is set (MAIL FROM NOT_STARTED): SES sends with a MAIL FROM under {(region != null ? region.Name + "." : string.Empty)}amazonses.com, so SPF can never align with {domain} until it is set, and DMARC rests on DKIM alone. Publish the MX and SPF records of e.g. mail.{domain} (New-SesMailFromConfig), then Set-SesMailFromDomain.",
                "RFC 9989 §4.4.2", domain);
    }

    private async Task<SesDomainVerdict> JudgeAsync(string domain, SesRegion region, bool dkimKnown, List<SesRecordCheck> dkimRows, string mailFrom,
        SesBehaviorOnMxFailure behavior, SesRecordCheck mx, SesRecordCheck spf, DmarcRecordResult discovery, List<Finding> earlier, List<SesRecordCheck> rows,
        string dkimOrigin, CancellationToken ct)
    {
        // The rows' changes in row order (DKIM, MAIL FROM MX, MAIL FROM SPF, DMARC), then any the verdict adds.
        var changes = rows.SelectMany(r => r.Changes).ToList();
        var findings = new List<Finding>(earlier);
        var sesMailFrom = (region != null ? region.Name + "." : string.Empty) + SesRegion.AmazonSesDomain;

        // Which MAIL FROM SES will use and whether SPF passes for it (RFC 7208).
        string spfDomain;
        bool spfPass;
        var rejected = false;
        if (mailFrom == null)
        {
            spfDomain = sesMailFrom; spfPass = true;
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
        }
        else
        {
            spfDomain = mailFrom;
            spfPass = spf.Status == SesRecordCheckStatus.Ok;
            if (!spfPass)
            {
                findings.Add(Finding.Error("SesMailFromSpfFails",
                    $"SES uses {mailFrom} as MAIL FROM but its SPF record does not authorize SES ({spf.Status}): SPF will not pass.", "RFC 7208 §4.5", mailFrom));
            }
        }

        // Which DKIM signatures verify (RFC 6376): SES always adds d=amazonses.com; d=<domain> needs all three CNAMEs.
        var checkedDkim = dkimRows.Where(r => r.Status != SesRecordCheckStatus.NotChecked).ToList();
        var ownDkim = checkedDkim.Count > 0 && checkedDkim.All(r => r.Status == SesRecordCheckStatus.Ok);
        var passing = new List<string>();
        if (!rejected)
        {
            if (ownDkim) passing.Add(domain);
            passing.Add(SesRegion.AmazonSesDomain);
        }
        if (!dkimKnown)
            findings.Add(Finding.Warning("SesDkimNotChecked",
                "No DKIM tokens were given or reported, so only SES's own amazonses.com signature can be counted on; it does not align. Pass -Token, or let the API supply them.",
                "RFC 9989 §4.4.1", domain));
        else if (checkedDkim.Any(r => r.Status == SesRecordCheckStatus.Error) && checkedDkim.All(r => r.Status == SesRecordCheckStatus.Ok || r.Status == SesRecordCheckStatus.Error))
        {
            findings.Add(Finding.Warning("SesDkimLookupFailed",
                $"Some Easy DKIM CNAMEs could not be looked up; this verdict assumes the worst case, that SES signs only with amazonses.com (no alignment). Check again.",
                "RFC 9989 §4.4.1", domain));
        }
        else if (!ownDkim)
        {
            findings.Add(Finding.Error("SesDkimNotAligned",
                $"Not all three Easy DKIM CNAMEs are right, so SES cannot sign with d={domain}; only its amazonses.com signature remains, which does not align.",
                "RFC 9989 §4.4.1", domain));
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
                changes.Add(new DnsChange(DnsChangeAction.Replace, "_dmarc." + evaluation.RecordDomain, "TXT", discovery.Record, WithoutTag(discovery.Record, "aspf"),
                    reason: $"aspf=s keeps the MAIL FROM {mailFrom} from ever aligning with {domain}; relaxed alignment (the default) lets it.", reference: "RFC 9989 §4.4.2"));
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
                break;
            case DmarcResult.None:
                findings.Add(Finding.Error("SesDmarcMissing",
                    $"No DMARC policy applies to {domain}: receivers reach no DMARC result. Publish _dmarc.{domain} TXT \"v=DMARC1; p=none;\" (New-DmarcRecord).", "RFC 9989 §4.10.1", domain));
                break;
            case DmarcResult.PermError:
                findings.Add(Finding.Error("SesDmarcPermError",
                    $"The DMARC record at _dmarc.{evaluation.RecordDomain} cannot be used ({evaluation.Reason}): receivers reach PermError. Fix the record (New-DmarcRecord builds a valid one).", "RFC 9989 §4.10", domain));
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
            changes: changes, findings: findings, region: region?.Name, dkimOrigin: dkimOrigin);
    }

    /// <summary>A DMARC record's text without one tag (RFC 9989 §4.7: tag=value pairs separated by semicolons).</summary>
    private static string WithoutTag(string record, string tag) =>
        string.Join("; ", record.Split(';').Select(t => t.Trim()).Where(t => t.Length > 0 && !t.StartsWith(tag + "=", StringComparison.OrdinalIgnoreCase)
            && !t.Replace(" ", string.Empty).StartsWith(tag + "=", StringComparison.OrdinalIgnoreCase))) + ";";
}
