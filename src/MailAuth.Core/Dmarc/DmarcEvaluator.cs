using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// Evaluates DMARC for one message as a receiver does (RFC 9989 §5.3): discover the policy, check the
/// alignment of the SPF-authenticated MAIL FROM domain and of each verified DKIM d= domain, and derive the
/// result and the disposition (p/sp/np, t=y; pct= only in the legacy <see cref="DmarcDiscoveryMode.Psl"/> mode).
/// </summary>
public sealed class DmarcEvaluator
{
    private readonly IDnsResolver _resolver;
    private readonly PublicSuffixList _publicSuffixList;
    private static readonly Random Sampler = new Random();

    public DmarcEvaluator(IDnsResolver resolver, PublicSuffixList publicSuffixList = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _publicSuffixList = publicSuffixList ?? PublicSuffixList.Default;
    }

    public async Task<DmarcEvaluation> EvaluateAsync(DmarcEvaluationInput input, DmarcDiscoveryMode mode = DmarcDiscoveryMode.TreeWalk, CancellationToken cancellationToken = default)
    {
        if (input == null) throw new ArgumentNullException(nameof(input));
        var findings = new List<Finding>();
        var fromText = DomainName.FromAddressOrDomain(input.HeaderFromDomain);
        if (!DomainName.TryNormalize(fromText, out var from, out var error))
        {
            return new DmarcEvaluation(result: DmarcResult.PermError, headerFromDomain: input.HeaderFromDomain, recordDomain: null,
                record: null, appliedPolicy: null, appliedPolicySource: AppliedPolicySource.None, disposition: DmarcDisposition.None,
                spfAligned: false, dkimAligned: false, spfAlignment: null, dkimAlignment: null, testing: false, percentageExcluded: false,
                discoveryMode: mode, reason: $"The From domain cannot be evaluated: {error}", findings: findings);
        }

        var discovery = await new DmarcPolicyDiscoverer(_resolver, _publicSuffixList).DiscoverAsync(from, mode, false, cancellationToken).ConfigureAwait(false);
        findings.AddRange(discovery.Findings);
        if (discovery.Status == RecordStatus.Error)
            return new DmarcEvaluation(result: DmarcResult.TempError, headerFromDomain: from, recordDomain: null, record: null,
                appliedPolicy: null, appliedPolicySource: AppliedPolicySource.None, disposition: DmarcDisposition.None,
                spfAligned: false, dkimAligned: false, spfAlignment: null, dkimAlignment: null, testing: false, percentageExcluded: false,
                discoveryMode: mode,
                reason: $"Policy discovery failed ({discovery.ErrorKind}), so no DMARC conclusion can be reached; receivers decide whether to accept or defer (RFC 9989 §4.10.1).",
                findings: findings);
        if (discovery.Status == RecordStatus.NotFound)
            return new DmarcEvaluation(result: DmarcResult.None, headerFromDomain: from, recordDomain: null, record: null,
                appliedPolicy: null, appliedPolicySource: AppliedPolicySource.None, disposition: DmarcDisposition.None,
                spfAligned: false, dkimAligned: false, spfAlignment: null, dkimAlignment: null, testing: false, percentageExcluded: false,
                discoveryMode: mode,
                reason: $"No DMARC policy applies to {from}, so DMARC does not apply to this message (RFC 9989 §4.10.1).",
                findings: findings);
        var record = discovery.PolicyRecord;
        if (discovery.AppliedPolicy == null)
            return new DmarcEvaluation(result: DmarcResult.PermError, headerFromDomain: from, recordDomain: discovery.RecordDomain,
                record: record, appliedPolicy: null, appliedPolicySource: AppliedPolicySource.None, disposition: DmarcDisposition.None,
                spfAligned: false, dkimAligned: false, spfAlignment: null, dkimAlignment: null, testing: false, percentageExcluded: false,
                discoveryMode: mode,
                reason: $"The DMARC record at _dmarc.{discovery.RecordDomain} has no valid policy (p= missing or invalid, or sp=/np= invalid) and no valid rua=, so it cannot be applied (RFC 9989 §4.10.1).",
                findings: findings);

        var alignment = new IdentifierAlignment(_resolver, _publicSuffixList);
        AlignmentResult spf = null;
        bool alignmentError = false;
        if (input.SpfPassed && !string.IsNullOrWhiteSpace(input.SpfDomain) && DomainName.TryNormalize(DomainName.FromAddressOrDomain(input.SpfDomain), out var spfDomain, out _))
        {
            spf = await alignment.CheckAsync(AuthenticatedIdentifierKind.Spf, from, spfDomain, record.SpfAlignment, mode, cancellationToken).ConfigureAwait(false);
            alignmentError |= spf.IsError;
        }
        var dkim = new List<AlignmentResult>();
        foreach (var d in (input.DkimPassingDomains ?? new List<string>()).Where(x => !string.IsNullOrWhiteSpace(x)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!DomainName.TryNormalize(d, out var signingDomain, out _)) continue;
            var a = await alignment.CheckAsync(AuthenticatedIdentifierKind.Dkim, from, signingDomain, record.DkimAlignment, mode, cancellationToken).ConfigureAwait(false);
            dkim.Add(a);
            alignmentError |= a.IsError;
            if (a.Aligned) break;
        }
        bool spfAligned = spf != null && spf.Aligned;
        bool dkimAligned = dkim.Any(a => a.Aligned);

        bool testing = mode == DmarcDiscoveryMode.TreeWalk && record.Testing;
        var applied = discovery.AppliedPolicy.Value;
        DmarcResult result;
        string reason;
        var disposition = DmarcDisposition.None;
        bool excluded = false;
        if (spfAligned || dkimAligned)
        {
            result = DmarcResult.Pass;
            reason = spfAligned && dkimAligned ? "SPF and DKIM both passed for identifiers aligned with From."
                : spfAligned ? $"SPF passed for {spf.AuthenticatedDomain}, aligned with {from}." : $"DKIM passed for d={dkim.First(a => a.Aligned).AuthenticatedDomain}, aligned with {from}.";
        }
        else if (input.SpfTempError || input.DkimTempError || alignmentError)
        {
            result = DmarcResult.TempError;
            reason = "No aligned identifier passed, and SPF, DKIM or an Organizational Domain lookup failed temporarily, so the policy cannot be applied (RFC 9989 §5.3.6).";
        }
        else
        {
            result = DmarcResult.Fail;
            reason = Describe(from, input, spf, dkim);
            disposition = ToDisposition(applied);
            if (testing && disposition != DmarcDisposition.None)
            {
                disposition = OneLevelBelow(disposition);
                reason += $" The record has t=y, so the policy one level below p={applied.ToString().ToLowerInvariant()} applies: {disposition.ToString().ToLowerInvariant()} (RFC 9989 §4.7).";
            }
            else if (mode == DmarcDiscoveryMode.Psl && record.Percentage.HasValue && record.Percentage.Value < 100 && disposition != DmarcDisposition.None)
            {
                int sample = input.PercentageSample ?? NextSample();
                if (sample >= record.Percentage.Value)
                {
                    excluded = true;
                    disposition = OneLevelBelow(disposition);
                    reason += $" pct={record.Percentage.Value} left this message out of the policy, so the next lower policy applies (RFC 7489 §6.6.4).";
                }
            }
        }

        return new DmarcEvaluation(result: result, headerFromDomain: from, recordDomain: discovery.RecordDomain, record: record,
            appliedPolicy: applied, appliedPolicySource: discovery.AppliedPolicySource, disposition: disposition, spfAligned: spfAligned,
            dkimAligned: dkimAligned,
            spfAlignment: spf, dkimAlignment: dkim, testing: testing, percentageExcluded: excluded, discoveryMode: mode, reason: reason,
            findings: findings);
    }

    /// <summary>The next weaker disposition: reject becomes quarantine, quarantine becomes none (t=y, RFC 9989 §4.7; legacy pct=, RFC 7489 §6.6.4).</summary>
    private static DmarcDisposition OneLevelBelow(DmarcDisposition disposition) =>
        disposition == DmarcDisposition.Reject ? DmarcDisposition.Quarantine : DmarcDisposition.None;

    private static string Describe(string from, DmarcEvaluationInput input, AlignmentResult spf, List<AlignmentResult> dkim)
    {
        var parts = new List<string>();
        if (spf != null) parts.Add($"SPF passed for {spf.AuthenticatedDomain}, which is not aligned with {from}");
        else parts.Add($"SPF did not pass ({input.SpfResult.ToString().ToLowerInvariant()})");
        if (dkim.Count > 0) parts.Add("DKIM passed only for " + string.Join(", ", dkim.Select(a => "d=" + a.AuthenticatedDomain)) + $", not aligned with {from}");
        else parts.Add("no DKIM signature passed");
        return string.Join("; ", parts) + ". Sign with a d= domain under the From domain's Organizational Domain, or use an aligned MAIL FROM domain.";
    }

    private static DmarcDisposition ToDisposition(DmarcPolicy policy) =>
        policy == DmarcPolicy.Reject ? DmarcDisposition.Reject : policy == DmarcPolicy.Quarantine ? DmarcDisposition.Quarantine : DmarcDisposition.None;

    private static int NextSample()
    {
        lock (Sampler) return Sampler.Next(100);
    }
}
