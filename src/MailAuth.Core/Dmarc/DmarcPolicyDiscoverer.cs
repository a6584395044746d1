using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Dmarc;

/// <summary>
/// Finds the DMARC policy that applies to a domain. TreeWalk (RFC 9989 §4.10.1): the domain's own record,
/// else the record of its Organizational Domain, else that of its Public Suffix Domain (psd=y), found by
/// one DNS Tree Walk. Psl (RFC 7489 §6.6.3): <c>_dmarc.&lt;domain&gt;</c>, then the Organizational Domain
/// from the Public Suffix List. A DNS failure on the way is an Error result, never NotFound.
/// </summary>
public sealed class DmarcPolicyDiscoverer
{
    private readonly IDnsResolver _resolver;
    private readonly PublicSuffixList _publicSuffixList;

    public DmarcPolicyDiscoverer(IDnsResolver resolver, PublicSuffixList publicSuffixList = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _publicSuffixList = publicSuffixList ?? PublicSuffixList.Default;
    }

    /// <summary>
    /// The change for a domain without a policy: <c>_dmarc.&lt;domain&gt; TXT "v=DMARC1; p=none;"</c>, the policy that
    /// starts reports and alignment checks without affecting delivery (RFC 9989 §4.10.1, §7.1).
    /// </summary>
    public static DnsChange StartingPolicy(string domain, string organizationalDomain = null)
    {
        var record = new DmarcRecordBuilder { Domain = domain, Policy = DmarcPolicy.None }.Build(out _);
        var scope = !string.IsNullOrEmpty(organizationalDomain) && organizationalDomain != domain
            ? $" (at _dmarc.{organizationalDomain} instead it would cover every subdomain of {organizationalDomain})" : string.Empty;
        return DnsChange.Add(record,
            $"No DMARC policy applies to {domain}: publish one with p=none to start{scope}; add rua=mailto:<your report mailbox> to receive aggregate reports (New-DmarcRecord -ReportUri builds it).",
            "RFC 9989 §4.10.1");
    }

    /// <summary>Discovers the policy of <paramref name="domain"/> and checks its external report destinations.</summary>
    public Task<DmarcRecordResult> DiscoverAsync(string domain, DmarcDiscoveryMode mode = DmarcDiscoveryMode.TreeWalk, CancellationToken cancellationToken = default) =>
        DiscoverAsync(domain, mode, true, cancellationToken);

    /// <summary>As <see cref="DiscoverAsync(string, DmarcDiscoveryMode, CancellationToken)"/>; <paramref name="checkReportDestinations"/> false skips the report checks.</summary>
    public async Task<DmarcRecordResult> DiscoverAsync(string domain, DmarcDiscoveryMode mode, bool checkReportDestinations, CancellationToken cancellationToken = default)
    {
        domain = DomainName.Normalize(domain);
        var found = mode == DmarcDiscoveryMode.Psl
            ? await DiscoverByListAsync(domain, cancellationToken).ConfigureAwait(false)
            : await DiscoverByTreeWalkAsync(domain, cancellationToken).ConfigureAwait(false);

        var findings = new List<Finding>();
        foreach (var multiple in found.Queries.Where(q => q.DmarcRecordCount > 1))
            findings.Add(Finding.Error(DmarcFindingCode.MultipleRecords,
                $"{multiple.QueryName} has {multiple.DmarcRecordCount} DMARC records; receivers discard them all, as if there were none. Keep exactly one TXT record starting with v=DMARC1.",
                "RFC 9989 §4.10", multiple.Domain));

        var labels = domain.Split('.').Length;
        if (mode == DmarcDiscoveryMode.TreeWalk && labels >= DmarcTreeWalk.MaxQueries && found.Queries.Count > 1)
            findings.Add(Finding.Info(DmarcFindingCode.TreeWalkShortened,
                $"{domain} has {labels} labels, so the tree walk went from it straight to {found.Queries[1].Domain} (a walk makes at most {DmarcTreeWalk.MaxQueries} queries); DMARC records at the names in between are never consulted. Publish the policy at {domain} itself or at {found.Queries[1].Domain} or above.",
                "RFC 9989 §4.10", domain));

        if (found.Error != null)
        {
            findings.Add(Finding.Error(DmarcFindingCode.LookupFailed,
                $"Could not look up {found.Error.QueryName}: {found.Error.ErrorDescription}. This says nothing about whether {domain} has a DMARC policy; try again or ask another server with -Server.",
                "RFC 9989 §4.10.1", domain));
            return new DmarcRecordResult(domain: domain, recordDomain: null, method: mode, status: RecordStatus.Error,
                errorKind: found.Error.ErrorKind, record: null, organizationalDomain: null, appliedPolicy: null,
                appliedPolicySource: AppliedPolicySource.None,
                domainExists: null, queries: found.Queries, reportAuthorizations: null, findings: findings);
        }

        if (found.Record == null)
        {
            findings.Add(Finding.Warning(DmarcFindingCode.NotFound,
                $"No DMARC policy applies to {domain} (queried {string.Join(", ", found.Queries.Select(q => q.QueryName))}), so receivers apply no DMARC checks to mail from it. Publish _dmarc.{found.OrganizationalDomain ?? domain} TXT \"v=DMARC1; p=none; rua=mailto:<your report mailbox>\" (New-DmarcRecord builds it).",
                "RFC 9989 §4.10.1", domain));
            return new DmarcRecordResult(domain: domain, recordDomain: null, method: mode, status: RecordStatus.NotFound,
                errorKind: DnsErrorKind.None, record: null, organizationalDomain: found.OrganizationalDomain, appliedPolicy: null,
                appliedPolicySource: AppliedPolicySource.None,
                domainExists: null, queries: found.Queries, reportAuthorizations: null, findings: findings,
                changes: new[] { StartingPolicy(domain, found.OrganizationalDomain) });
        }

        var record = found.Record.Record;
        var recordDomain = found.Record.Domain;
        findings.AddRange(record.Findings);

        DmarcPolicy? applied = null;
        var source = AppliedPolicySource.None;
        bool? exists = null;
        if (!record.IsUsable)
        {
            findings.Add(Finding.Error(DmarcFindingCode.PolicyUnusable,
                $"The record at _dmarc.{recordDomain} has no valid p= (missing or invalid), or an invalid sp= or np=, and no valid rua=, so receivers apply no DMARC processing to {domain}. Fix the policy tags.",
                "RFC 9989 §4.10.1", domain));
        }
        else if (string.Equals(recordDomain, domain, StringComparison.Ordinal))
        {
            applied = record.EffectivePolicy;
            source = AppliedPolicySource.Policy;
        }
        else
        {
            var existence = await DomainExistence.CheckAsync(_resolver, domain, cancellationToken).ConfigureAwait(false);
            exists = existence.Exists;
            if (existence.Exists == false && mode == DmarcDiscoveryMode.TreeWalk)
            {
                applied = record.EffectiveNonExistentSubdomainPolicy;
                source = AppliedPolicySource.NonExistentSubdomainPolicy;
            }
            else
            {
                applied = record.EffectiveSubdomainPolicy;
                source = AppliedPolicySource.SubdomainPolicy;
            }
            if (existence.Exists == null)
                findings.Add(Finding.Warning(DmarcFindingCode.DomainExistenceUnknown,
                    $"Could not tell whether {domain} exists ({existence.Error}); the subdomain policy (sp=) is assumed rather than np=.",
                    "RFC 9989 §4.10.1", domain));
            bool fromPsd = record.Psd == DmarcPsd.Yes && !string.Equals(recordDomain, found.OrganizationalDomain, StringComparison.Ordinal);
            if (fromPsd)
                findings.Add(Finding.Info(DmarcFindingCode.PublicSuffixPolicy,
                    $"{domain} has no DMARC record of its own, nor has its Organizational Domain {found.OrganizationalDomain}; the policy comes from the Public Suffix Domain {recordDomain} (psd=y). Publish _dmarc.{found.OrganizationalDomain} to set your own.",
                    "RFC 9989 §4.10.1", domain));
            else
                findings.Add(Finding.Info(DmarcFindingCode.PolicyInherited,
                    $"{domain} has no DMARC record of its own; the record of {recordDomain} applies through its {(source == AppliedPolicySource.NonExistentSubdomainPolicy ? "np=" : "sp=")} (or p=) policy: {applied?.ToString().ToLowerInvariant()}.",
                    "RFC 9989 §4.10.1", domain));
        }

        IReadOnlyList<DmarcReportAuthorization> authorizations = null;
        if (checkReportDestinations)
        {
            var verifier = new ReportDestinationVerifier(_resolver, _publicSuffixList);
            var checkedReports = await verifier.VerifyAsync(recordDomain, record, mode, cancellationToken).ConfigureAwait(false);
            authorizations = checkedReports.Authorizations;
            findings.AddRange(checkedReports.Findings);
        }

        return new DmarcRecordResult(domain: domain, recordDomain: recordDomain, method: mode, status: RecordStatus.Found,
            errorKind: DnsErrorKind.None, record: record, organizationalDomain: found.OrganizationalDomain, appliedPolicy: applied,
            appliedPolicySource: source,
            domainExists: exists, queries: found.Queries, reportAuthorizations: authorizations, findings: findings);
    }

    private sealed class Discovery
    {
        public List<DmarcLookup> Queries = new List<DmarcLookup>();
        public DmarcLookup Record;
        public DmarcLookup Error;
        public string OrganizationalDomain;
    }

    private async Task<Discovery> DiscoverByTreeWalkAsync(string domain, CancellationToken cancellationToken)
    {
        var d = new Discovery();
        // The domain's own record is its policy whatever the rest of the walk finds (RFC 9989 §4.10.1).
        var first = await DmarcLookup.QueryAsync(_resolver, domain, cancellationToken).ConfigureAwait(false);
        d.Queries.Add(first);
        if (first.Status == RecordStatus.Error) { d.Error = first; return d; }
        if (first.Status == RecordStatus.Found)
        {
            d.Record = first;
            // psd=n or psd=y at the start ends a walk there (RFC 9989 §4.10 step 2): the domain is its own Organizational Domain.
            d.OrganizationalDomain = first.Record.Psd != DmarcPsd.Unspecified ? domain : null;
            return d;
        }

        var walk = await DmarcTreeWalk.WalkAsync(_resolver, domain, cancellationToken, first).ConfigureAwait(false);
        d.Queries.AddRange(walk.Skip(1));
        d.Error = walk.FirstOrDefault(s => s.Status == RecordStatus.Error);
        if (d.Error != null) return d;

        var org = DmarcTreeWalk.SelectOrganizationalDomain(domain, walk);
        d.OrganizationalDomain = org;
        if (org == null) return d;
        var orgLookup = walk.FirstOrDefault(s => s.Domain == org);
        if (orgLookup == null)
        {
            // The Organizational Domain one label below a psd=y record was skipped by the 8-query shortcut.
            orgLookup = await DmarcLookup.QueryAsync(_resolver, org, cancellationToken).ConfigureAwait(false);
            d.Queries.Add(orgLookup);
            if (orgLookup.Status == RecordStatus.Error) { d.Error = orgLookup; return d; }
        }
        if (orgLookup.Status == RecordStatus.Found) { d.Record = orgLookup; return d; }
        d.Record = walk.FirstOrDefault(s => s.Status == RecordStatus.Found && s.Record.Psd == DmarcPsd.Yes);
        return d;
    }

    private async Task<Discovery> DiscoverByListAsync(string domain, CancellationToken cancellationToken)
    {
        var d = new Discovery();
        var first = await DmarcLookup.QueryAsync(_resolver, domain, cancellationToken).ConfigureAwait(false);
        d.Queries.Add(first);
        d.OrganizationalDomain = _publicSuffixList.GetRegistrableDomain(domain) ?? domain;
        if (first.Status == RecordStatus.Error) { d.Error = first; return d; }
        if (first.Status == RecordStatus.Found) { d.Record = first; return d; }
        if (string.Equals(d.OrganizationalDomain, domain, StringComparison.Ordinal)) return d;
        var org = await DmarcLookup.QueryAsync(_resolver, d.OrganizationalDomain, cancellationToken).ConfigureAwait(false);
        d.Queries.Add(org);
        if (org.Status == RecordStatus.Error) { d.Error = org; return d; }
        if (org.Status == RecordStatus.Found) d.Record = org;
        return d;
    }
}
