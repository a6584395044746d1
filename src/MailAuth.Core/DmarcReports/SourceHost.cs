using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.Dmarc;
using MailAuth.Dns;

namespace MailAuth.DmarcReports;

/// <summary>
/// The reverse-DNS (PTR) name of a report's source address and the organization that runs it (RFC 7489 §3.2
/// organizational domain of that name), with "no PTR" (NotFound) kept apart from "the lookup failed" (Error).
/// </summary>
internal sealed class SourceHost
{
    private SourceHost(string name, RecordStatus status, DnsErrorKind errorKind, string organizationalDomain)
    {
        Name = name;
        Status = status;
        ErrorKind = errorKind;
        OrganizationalDomain = organizationalDomain;
    }

    public string Name { get; }
    public string OrganizationalDomain { get; }
    public RecordStatus Status { get; }
    public DnsErrorKind ErrorKind { get; }

    /// <summary>The names of many addresses, at most <paramref name="maxConcurrency"/> lookups at once.</summary>
    public static async Task<Dictionary<string, SourceHost>> LookUpAllAsync(IDnsResolver resolver, IEnumerable<string> sourceIPs, int maxConcurrency,
        CancellationToken cancellationToken)
    {
        var hosts = new Dictionary<string, SourceHost>(StringComparer.OrdinalIgnoreCase);
        using var gate = new SemaphoreSlim(Math.Max(1, maxConcurrency));
        var lookups = sourceIPs.Distinct(StringComparer.OrdinalIgnoreCase).Select(async ip =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return (IP: ip, Host: await LookUpAsync(resolver, ip, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        foreach (var (ip, host) in await Task.WhenAll(lookups).ConfigureAwait(false)) hosts[ip] = host;
        return hosts;
    }

    private static async Task<SourceHost> LookUpAsync(IDnsResolver resolver, string sourceIP, CancellationToken ct)
    {
        if (!IPAddress.TryParse(sourceIP, out var address))
            return new SourceHost(null, RecordStatus.Error, DnsErrorKind.None, null);
        var answer = await resolver.QueryAsync(ReverseDnsName.For(address), DnsRecordType.PTR, ct).ConfigureAwait(false);
        if (answer.IsError) return new SourceHost(null, RecordStatus.Error, answer.ErrorKind, null);
        var ptr = answer.Records.Where(r => r.Type == DnsRecordType.PTR && !string.IsNullOrEmpty(r.Target)).Select(r => r.Target).OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault();
        if (ptr == null) return new SourceHost(null, RecordStatus.NotFound, DnsErrorKind.None, null);
        ptr = ptr.TrimEnd('.').ToLowerInvariant();
        string organizational = null;
        try
        {
            // The PSL mode asks no DNS: the organization that runs the host, as RFC 7489 §3.2 defines it.
            organizational = (await new OrganizationalDomainFinder(resolver).FindAsync(ptr, DmarcDiscoveryMode.Psl, ct).ConfigureAwait(false)).OrganizationalDomain;
        }
        catch (MailAuthInputException)
        {
            // A PTR target that is not a valid host name has no organizational domain.
        }
        return new SourceHost(ptr, RecordStatus.Found, DnsErrorKind.None, organizational);
    }
}
