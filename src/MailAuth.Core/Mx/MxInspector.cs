using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Mx;

/// <summary>Looks up and judges a domain's MX records: null MX (RFC 7505), alias targets, exchanges without addresses.</summary>
public sealed class MxInspector
{
    private readonly IDnsResolver _resolver;

    public MxInspector(IDnsResolver resolver) => _resolver = resolver;

    public async Task<MxRecordSet> InspectAsync(string domain, CancellationToken cancellationToken = default)
    {
        var findings = new List<Finding>();
        var answer = await _resolver.QueryAsync(domain, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        if (answer.IsError)
        {
            findings.Add(Finding.Error("MxLookupFailed",
                $"Could not look up the MX records of {domain}: {answer.Describe()}. This says nothing about whether they exist; try again or ask another server with -Server.",
                "RFC 5321 §5.1", domain));
            return new MxRecordSet(domain, RecordStatus.Error, null, false, findings, answer.ErrorKind);
        }

        if (answer.Records.Count == 0)
        {
            findings.Add(Finding.Warning("MxNotFound",
                $"{domain} has no MX record, so senders fall back to its A/AAAA address (the implicit MX). Publish an MX for the host that receives mail, or a null MX (\"0 .\") if the domain receives none.",
                "RFC 5321 §5.1", domain));
            return new MxRecordSet(domain, RecordStatus.NotFound, null, false, findings);
        }

        var records = answer.Records.OrderBy(r => r.Preference).ThenBy(r => r.Target).ToList();
        bool hasNull = records.Any(r => string.IsNullOrEmpty(r.Target));
        if (hasNull)
        {
            if (records.Count > 1)
                findings.Add(Finding.Error("MxNullMxWithOtherRecords",
                    $"{domain} publishes a null MX together with other MX records; a null MX must be the only MX record. Remove either the \"0 .\" record or the others.",
                    "RFC 7505 §3", domain));
            var nullRecord = records.First(r => string.IsNullOrEmpty(r.Target));
            if (nullRecord.Preference != 0)
                findings.Add(Finding.Warning("MxNullMxPreference",
                    $"The null MX of {domain} has preference {nullRecord.Preference}; RFC 7505 specifies preference 0 (\"0 .\").",
                    "RFC 7505 §3", domain));
            if (records.Count == 1)
                findings.Add(Finding.Info("MxNullMx",
                    $"{domain} publishes a null MX: it accepts no mail, and receivers may reject mail whose envelope sender is at {domain}.",
                    "RFC 7505 §4", domain));
        }

        var hosts = new List<MxHost>();
        foreach (var r in records)
        {
            if (string.IsNullOrEmpty(r.Target))
            {
                hosts.Add(new MxHost(domain, r.Preference, string.Empty, null, RecordStatus.NotFound));
                continue;
            }
            if (IPAddress.TryParse(r.Target, out _))
            {
                findings.Add(Finding.Error("MxTargetIsAddress",
                    $"The MX record of {domain} names {r.Target}, an IP address; an MX must name a host. Publish an A record for a host name and point the MX at it.",
                    "RFC 5321 §5.1", r.Target));
            }

            var v4 = _resolver.QueryAsync(r.Target, DnsRecordType.A, cancellationToken);
            var v6 = _resolver.QueryAsync(r.Target, DnsRecordType.AAAA, cancellationToken);
            var a = await v4.ConfigureAwait(false);
            var aaaa = await v6.ConfigureAwait(false);
            var addresses = a.Records.Concat(aaaa.Records).Where(x => x.Address != null).Select(x => x.Address.ToString()).ToList();
            var status = addresses.Count > 0 ? RecordStatus.Found : (a.IsError || aaaa.IsError) ? RecordStatus.Error : RecordStatus.NotFound;
            var chain = a.CnameChain.Count > 0 ? a.CnameChain : aaaa.CnameChain;
            if (chain.Count > 0)
                findings.Add(Finding.Warning("MxTargetIsAlias",
                    $"The MX exchange {r.Target} of {domain} is a CNAME (to {chain[chain.Count - 1]}); an MX must name the host itself. Point the MX at {chain[chain.Count - 1]}.",
                    "RFC 2181 §10.3", r.Target));
            if (status == RecordStatus.NotFound)
                findings.Add(Finding.Error("MxTargetNoAddress",
                    $"The MX exchange {r.Target} of {domain} has no A or AAAA record, so mail cannot be delivered to it. Publish its address or remove the MX.",
                    "RFC 5321 §5.1", r.Target));
            else if (status == RecordStatus.Error)
                findings.Add(Finding.Warning("MxTargetLookupFailed",
                    $"Could not look up the address of the MX exchange {r.Target}: {(a.IsError ? a.Describe() : aaaa.Describe())}.",
                    "RFC 5321 §5.1", r.Target));
            hosts.Add(new MxHost(domain, r.Preference, r.Target, addresses, status, chain));
        }

        return new MxRecordSet(domain, RecordStatus.Found, hosts, hasNull && records.Count == 1, findings);
    }
}
