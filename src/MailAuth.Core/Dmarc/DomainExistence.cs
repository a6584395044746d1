using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Dmarc;

/// <summary>
/// RFC 9989 §3.2.9 "Non-existent Domains": a domain for which A, AAAA and MX queries all give NXDOMAIN
/// or NODATA. Decides whether np= or sp= applies to an inherited policy.
/// </summary>
internal static class DomainExistence
{
    /// <summary>True: exists; false: does not exist; null: a lookup failed, so it is not known.</summary>
    internal static async Task<(bool? Exists, string Error)> CheckAsync(IDnsResolver resolver, string domain, CancellationToken cancellationToken)
    {
        var a = resolver.QueryAsync(domain, DnsRecordType.A, cancellationToken);
        var aaaa = resolver.QueryAsync(domain, DnsRecordType.AAAA, cancellationToken);
        var mx = resolver.QueryAsync(domain, DnsRecordType.MX, cancellationToken);
        string error = null;
        bool any = false;
        foreach (var task in new[] { a, aaaa, mx })
        {
            var answer = await task.ConfigureAwait(false);
            if (answer.IsError) error = error ?? answer.Describe();
            else if (answer.Records.Count > 0) any = true;
        }
        if (any) return (true, null);
        if (error != null) return (null, error);
        return (false, null);
    }
}
