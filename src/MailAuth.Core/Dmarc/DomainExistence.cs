using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Dmarc;

/// <summary>
/// RFC 9989's "Non-existent Domains" (its terminology section, after RFC 8020): a name for which the
/// DNS answers NXDOMAIN does not exist, nor does anything below it. A name that answers NOERROR, even
/// with no records of the type asked (an empty non-terminal, or a name with only TXT), exists. Decides
/// whether np= or sp= applies to an inherited policy (RFC 9989 §4.10.1).
/// </summary>
internal static class DomainExistence
{
    /// <summary>True: exists; false: NXDOMAIN; null: the lookup failed, so it is not known.</summary>
    internal static async Task<(bool? Exists, string Error)> CheckAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken)
    {
        var answer = await resolver.QueryAsync(domain, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
        if (answer.IsError) return (null, answer.Describe());
        // An alias exists even when its target does not.
        if (answer.Status == DnsResponseStatus.NxDomain && answer.CnameChain.Count == 0) return (false, null);
        return (true, null);
    }
}
