using System;
using System.Collections.Generic;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Mx;

/// <summary>The MX records of one domain as a receiver would use them (RFC 5321 §5.1), with findings.</summary>
public sealed class MxRecordSet
{
    public MxRecordSet(string domain, RecordStatus status, IReadOnlyList<MxHost> hosts, bool isNullMx, IReadOnlyList<Finding> findings,
        DnsErrorKind errorKind = DnsErrorKind.None)
    {
        Domain = domain;
        Status = status;
        Hosts = ReadOnlyArray.From(hosts);
        IsNullMx = isNullMx;
        Findings = ReadOnlyArray.From(findings);
        ErrorKind = errorKind;
    }

    public string Domain { get; }
    public RecordStatus Status { get; }

    /// <summary>Why the lookup failed, when <see cref="Status"/> is Error.</summary>
    public DnsErrorKind ErrorKind { get; }

    /// <summary>The MX hosts, by preference (lowest first).</summary>
    public IReadOnlyList<MxHost> Hosts { get; }

    /// <summary>The domain publishes "0 ." and accepts no mail (RFC 7505).</summary>
    public bool IsNullMx { get; }

    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>One row per MX host, or a single row saying there is none or the lookup failed.</summary>
    public IEnumerable<MxRecordResult> ToResults()
    {
        if (Hosts.Count == 0)
        {
            yield return new MxRecordResult(this, null);
            yield break;
        }
        foreach (var host in Hosts) yield return new MxRecordResult(this, host);
    }
}
