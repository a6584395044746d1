using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// Finds the Organizational Domain of a name: by the DNS Tree Walk (RFC 9989 §4.10.2), or, in the legacy
/// mode, as the registrable domain under the Public Suffix List (RFC 7489 §3.2).
/// </summary>
public sealed class OrganizationalDomainFinder
{
    private readonly IDnsResolver _resolver;
    private readonly PublicSuffixList _publicSuffixList;

    public OrganizationalDomainFinder(IDnsResolver resolver, PublicSuffixList publicSuffixList = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _publicSuffixList = publicSuffixList ?? PublicSuffixList.Default;
    }

    /// <summary>Finds the Organizational Domain of <paramref name="domain"/>; throws <see cref="MailAuthInputException"/> for an invalid name.</summary>
    public async Task<OrganizationalDomainResult> FindAsync(string domain, DmarcDiscoveryMode mode = DmarcDiscoveryMode.TreeWalk, CancellationToken cancellationToken = default)
    {
        domain = DomainName.Normalize(domain);
        if (mode == DmarcDiscoveryMode.Psl) return FromList(domain);

        var steps = await DmarcTreeWalk.WalkAsync(_resolver, domain, cancellationToken).ConfigureAwait(false);
        var failed = steps.FirstOrDefault(s => s.Status == RecordStatus.Error);
        if (failed != null)
        {
            return new OrganizationalDomainResult(domain, null, mode, RecordStatus.Error, steps, failed.ErrorKind,
                $"The tree walk stopped: {failed.ErrorDescription}. Without that answer the Organizational Domain cannot be known.");
        }
        var org = DmarcTreeWalk.SelectOrganizationalDomain(domain, steps);
        if (org == null)
        {
            return new OrganizationalDomainResult(domain, domain, mode, RecordStatus.NotFound, steps,
                reason: $"No DMARC record on the tree walk ({string.Join(", ", steps.Select(s => s.QueryName))}), so {domain} is its own Organizational Domain (RFC 9989 §4.10.2).");
        }
        var marker = steps.First(s => s.Status == RecordStatus.Found && (s.Domain == org || (s.Record.Psd != DmarcPsd.Unspecified && DomainName.IsAtOrBelow(org, s.Domain))));
        string why = marker.Record.Psd == DmarcPsd.No ? $"_dmarc.{marker.Domain} has psd=n"
            : marker.Record.Psd == DmarcPsd.Yes && marker.Domain != domain ? $"_dmarc.{marker.Domain} has psd=y, so the Organizational Domain is one label below it"
            : $"{org} is the shortest name on the tree walk with a DMARC record";
        return new OrganizationalDomainResult(domain, org, mode, RecordStatus.Found, steps, reason: why + " (RFC 9989 §4.10.2).");
    }

    private OrganizationalDomainResult FromList(string domain)
    {
        var registrable = _publicSuffixList.GetRegistrableDomain(domain);
        if (registrable == null)
            return new OrganizationalDomainResult(domain, domain, DmarcDiscoveryMode.Psl, RecordStatus.NotFound, null,
                reason: $"{domain} is a public suffix in the Public Suffix List ({_publicSuffixList.Source}), so it is its own Organizational Domain.");
        return new OrganizationalDomainResult(domain, registrable, DmarcDiscoveryMode.Psl, RecordStatus.Found, null,
            reason: $"{_publicSuffixList.GetPublicSuffix(domain)} is a public suffix in the Public Suffix List ({_publicSuffixList.Source}); the Organizational Domain is it plus one label (RFC 7489 §3.2).");
    }
}
