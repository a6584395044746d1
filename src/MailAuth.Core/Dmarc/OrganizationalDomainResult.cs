using System;
using System.Collections.Generic;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// The Organizational Domain of a name (RFC 9989 §4.10.2 by tree walk, or RFC 7489 §3.2 by the Public
/// Suffix List). <see cref="Status"/>: Found when records (or the list) determined it; NotFound when nothing
/// did, so the name is its own Organizational Domain; Error when a DNS failure kept it from being known.
/// </summary>
public sealed class OrganizationalDomainResult
{
    internal OrganizationalDomainResult(string domain, string organizationalDomain, DmarcDiscoveryMode method, RecordStatus status,
        IReadOnlyList<DmarcLookup> queries, DnsErrorKind errorKind = DnsErrorKind.None, string reason = null)
    {
        Domain = domain;
        OrganizationalDomain = organizationalDomain;
        Method = method;
        Status = status;
        Queries = ReadOnlyArray.From(queries);
        ErrorKind = errorKind;
        Reason = reason ?? string.Empty;
    }

    /// <summary>The name asked about.</summary>
    public string Domain { get; }

    /// <summary>Its Organizational Domain; null only when <see cref="Status"/> is Error.</summary>
    public string OrganizationalDomain { get; }

    /// <summary>TreeWalk or Psl.</summary>
    public DmarcDiscoveryMode Method { get; }

    public RecordStatus Status { get; }

    /// <summary>Why the lookup failed, when <see cref="Status"/> is Error.</summary>
    public DnsErrorKind ErrorKind { get; }

    /// <summary>The DMARC queries of the tree walk, in order (empty for Psl).</summary>
    public IReadOnlyList<DmarcLookup> Queries { get; }

    /// <summary>How the Organizational Domain was chosen.</summary>
    public string Reason { get; }

    public override string ToString() => $"{Domain} -> {OrganizationalDomain ?? "(unknown)"}";
}
