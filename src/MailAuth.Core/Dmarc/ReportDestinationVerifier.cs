using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// Checks the external report destinations of a DMARC record (RFC 9990 §3, RFC 9991 §3): a mailto: URI
/// whose Organizational Domain differs from the policy domain's needs <c>&lt;policy domain&gt;._report._dmarc.&lt;destination&gt;</c>
/// TXT starting with v=DMARC1, or receivers send no reports there.
/// </summary>
public sealed class ReportDestinationVerifier
{
    private const string Ref = "RFC 9990 §3";
    private readonly IDnsResolver _resolver;
    private readonly OrganizationalDomainFinder _finder;

    public ReportDestinationVerifier(IDnsResolver resolver, PublicSuffixList publicSuffixList = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _finder = new OrganizationalDomainFinder(resolver, publicSuffixList);
    }

    /// <summary>Checks every external mailto: destination of <paramref name="record"/>, published at <paramref name="recordDomain"/>.</summary>
    public async Task<(IReadOnlyList<DmarcReportAuthorization> Authorizations, IReadOnlyList<Finding> Findings)> VerifyAsync(
        string recordDomain, DmarcPolicyRecord record, DmarcDiscoveryMode mode, CancellationToken cancellationToken = default)
    {
        var results = new List<DmarcReportAuthorization>();
        var findings = new List<Finding>();
        var own = await _finder.FindAsync(recordDomain, mode, cancellationToken).ConfigureAwait(false);
        var ownOrg = own.OrganizationalDomain ?? recordDomain;
        var checkedDomains = new Dictionary<string, (RecordStatus, DnsErrorKind, string)>(StringComparer.Ordinal);

        foreach (var (tag, uri) in record.ReportUri.Select(u => ("rua", u)).Concat(record.FailureReportUri.Select(u => ("ruf", u))))
        {
            if (!uri.IsValid || !uri.IsMailto) continue;
            if (DomainName.IsAtOrBelow(uri.Domain, ownOrg)) continue;
            var dest = await _finder.FindAsync(uri.Domain, mode, cancellationToken).ConfigureAwait(false);
            if (dest.OrganizationalDomain != null && string.Equals(dest.OrganizationalDomain, ownOrg, StringComparison.Ordinal)) continue;

            var queryName = recordDomain + "._report._dmarc." + uri.Domain;
            if (!checkedDomains.TryGetValue(uri.Domain, out var outcome))
            {
                var answer = await _resolver.QueryAsync(queryName, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
                var status = answer.IsError ? RecordStatus.Error
                    : TxtRecordSelector.Select(answer, DmarcRecordParser.IsDmarcRecord).Count > 0 ? RecordStatus.Found : RecordStatus.NotFound;
                outcome = (status, answer.ErrorKind, answer.IsError ? answer.Describe() : null);
                checkedDomains[uri.Domain] = outcome;
            }
            results.Add(new DmarcReportAuthorization(tag, uri, queryName, outcome.Item1, outcome.Item2));
            switch (outcome.Item1)
            {
                case RecordStatus.Found:
                    findings.Add(Finding.Info(DmarcFindingCode.ExternalReportAuthorized,
                        $"{tag}= sends reports to {uri.Address} outside your organization; {uri.Domain} authorizes it ({queryName} TXT \"v=DMARC1\").",
                        Ref, recordDomain));
                    break;
                case RecordStatus.NotFound:
                    findings.Add(Finding.Error(DmarcFindingCode.ExternalReportNotAuthorized,
                        $"{tag}= sends reports to {uri.Address}, in another organization, but {uri.Domain} has not authorized it, so receivers send nothing there. Ask the owner of {uri.Domain} to publish {queryName} TXT \"v=DMARC1;\", or use an address in your own domain.",
                        Ref, recordDomain));
                    break;
                default:
                    findings.Add(Finding.Warning(DmarcFindingCode.ExternalReportCheckFailed,
                        $"Could not check whether {uri.Domain} accepts reports for {recordDomain}: {outcome.Item3}. Try again or ask another server with -Server.",
                        Ref, recordDomain));
                    break;
            }
        }
        return (results, findings);
    }
}
