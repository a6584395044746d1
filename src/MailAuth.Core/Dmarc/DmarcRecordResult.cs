using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Dmarc;

/// <summary>
/// What Get-DmarcRecord reports for one domain: where its DMARC record was found (RFC 9989 §4.10.1, or
/// RFC 7489 §6.6.3 in the legacy mode), every tag, the policy that applies to the domain asked about,
/// external report authorizations and findings.
/// </summary>
public sealed class DmarcRecordResult
{
    internal DmarcRecordResult(string domain, string recordDomain, DmarcDiscoveryMode method, RecordStatus status, DnsErrorKind errorKind,
        DmarcPolicyRecord record, string organizationalDomain, DmarcPolicy? appliedPolicy, AppliedPolicySource appliedPolicySource,
        bool? domainExists, IReadOnlyList<DmarcLookup> queries, IReadOnlyList<DmarcReportAuthorization> reportAuthorizations, IReadOnlyList<Finding> findings,
        IReadOnlyList<DnsChange> changes = null)
    {
        Changes = ReadOnlyArray.From(changes);
        Domain = domain;
        RecordDomain = recordDomain;
        DiscoveryMethod = method;
        Status = status;
        ErrorKind = errorKind;
        PolicyRecord = record;
        OrganizationalDomain = organizationalDomain;
        AppliedPolicy = appliedPolicy;
        AppliedPolicySource = appliedPolicySource;
        DomainExists = domainExists;
        Queries = ReadOnlyArray.From(queries);
        ReportAuthorizations = ReadOnlyArray.From(reportAuthorizations);
        Findings = ReadOnlyArray.From(findings);
    }

    /// <summary>The DNS changes that fix what is wrong, where a fix is known (no record: add one with p=none); empty otherwise.</summary>
    public IReadOnlyList<DnsChange> Changes { get; }

    /// <summary>The domain asked about (e.g. the RFC5322.From domain).</summary>
    public string Domain { get; }

    /// <summary>Where the record was found: the domain itself, its Organizational Domain or its Public Suffix Domain.</summary>
    public string RecordDomain { get; }

    public DmarcDiscoveryMode DiscoveryMethod { get; }

    /// <summary>Found, NotFound, or Error (a DNS failure during discovery; never reported as NotFound).</summary>
    public RecordStatus Status { get; }

    public DnsErrorKind ErrorKind { get; }

    /// <summary>The record text, as published.</summary>
    public string Record => PolicyRecord?.Text;

    /// <summary>The parsed record.</summary>
    public DmarcPolicyRecord PolicyRecord { get; }

    public DmarcPolicy? Policy => PolicyRecord?.Policy;
    public DmarcPolicy? SubdomainPolicy => PolicyRecord?.SubdomainPolicy;
    public DmarcPolicy? NonExistentSubdomainPolicy => PolicyRecord?.NonExistentSubdomainPolicy;
    public AlignmentMode? DkimAlignment => PolicyRecord?.DkimAlignment;
    public AlignmentMode? SpfAlignment => PolicyRecord?.SpfAlignment;
    public IReadOnlyList<string> ReportUri => ReadOnlyArray.From(PolicyRecord?.ReportUri.Select(u => u.Uri));
    public IReadOnlyList<string> FailureReportUri => ReadOnlyArray.From(PolicyRecord?.FailureReportUri.Select(u => u.Uri));
    public string FailureOptions => PolicyRecord?.FailureOptions;
    public DmarcPsd? Psd => PolicyRecord?.Psd;
    public bool? Testing => PolicyRecord?.Testing;

    /// <summary>Legacy pct= (removed by RFC 9989).</summary>
    public int? Percentage => PolicyRecord?.Percentage;

    /// <summary>Legacy rf= (removed by RFC 9989).</summary>
    public string ReportFormat => PolicyRecord?.ReportFormat;

    /// <summary>Legacy ri= (removed by RFC 9989).</summary>
    public int? ReportInterval => PolicyRecord?.ReportInterval;

    /// <summary>The Organizational Domain of <see cref="Domain"/> when discovery determined it.</summary>
    public string OrganizationalDomain { get; }

    /// <summary>The policy that applies to <see cref="Domain"/>: p=, sp= or np= per RFC 9989 §4.10.1.</summary>
    public DmarcPolicy? AppliedPolicy { get; }

    /// <summary>Which tag <see cref="AppliedPolicy"/> came from.</summary>
    public AppliedPolicySource AppliedPolicySource { get; }

    /// <summary>For an inherited record: whether <see cref="Domain"/> exists (not NXDOMAIN, RFC 8020); null when not checked or unknown.</summary>
    public bool? DomainExists { get; }

    /// <summary>The DMARC queries made, in order.</summary>
    public IReadOnlyList<DmarcLookup> Queries { get; }

    /// <summary>External report destinations and whether they authorized the reports.</summary>
    public IReadOnlyList<DmarcReportAuthorization> ReportAuthorizations { get; }

    public IReadOnlyList<Finding> Findings { get; }
}
