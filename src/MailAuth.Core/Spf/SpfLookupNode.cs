using System;
using System.Collections.Generic;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Spf;

/// <summary>
/// One record in the include/redirect tree that Get-SpfRecord -Expand shows: the domain, the term that led
/// to it, its own DNS-querying terms and void lookups (RFC 7208 §4.6.4), and the records it includes.
/// </summary>
public sealed class SpfLookupNode
{
    internal SpfLookupNode(string domain, string via, int depth, RecordStatus status, DnsErrorKind errorKind, string record,
        int dnsLookupCount, IReadOnlyList<string> voidTerms, bool isLoop, string error, IReadOnlyList<SpfLookupNode> children,
        IReadOnlyList<SpfNetwork> networks)
    {
        Domain = domain;
        Via = via;
        Depth = depth;
        Status = status;
        ErrorKind = errorKind;
        Record = record;
        DnsLookupCount = dnsLookupCount;
        VoidTerms = ReadOnlyArray.From(voidTerms);
        IsLoop = isLoop;
        Error = error;
        Children = ReadOnlyArray.From(children);
        Networks = ReadOnlyArray.From(networks);
        int total = dnsLookupCount, voids = VoidTerms.Count;
        foreach (var c in Children)
        {
            total += c.TotalDnsLookupCount;
            voids += c.TotalVoidLookupCount;
        }
        TotalDnsLookupCount = total;
        TotalVoidLookupCount = voids;
    }

    /// <summary>The domain whose record this is.</summary>
    public string Domain { get; }

    /// <summary>The term that led here (<c>include:_spf.example.net</c>, <c>redirect=...</c>); null for the top record.</summary>
    public string Via { get; }

    /// <summary>0 for the top record, 1 for what it includes, and so on.</summary>
    public int Depth { get; }

    /// <summary>Found, NotFound (no SPF record) or Error (lookup failed, several records, syntax error).</summary>
    public RecordStatus Status { get; }

    /// <summary>The DNS failure, when the lookup failed.</summary>
    public DnsErrorKind ErrorKind { get; }

    /// <summary>The record text, when found.</summary>
    public string Record { get; }

    /// <summary>DNS-querying terms of this record itself (include, a, mx, ptr, exists, redirect).</summary>
    public int DnsLookupCount { get; }

    /// <summary>This record's and everything below it.</summary>
    public int TotalDnsLookupCount { get; }

    /// <summary>Void lookups of this record and everything below it.</summary>
    public int TotalVoidLookupCount { get; }

    /// <summary>The terms of this record whose lookup found nothing (NXDOMAIN or no records).</summary>
    public IReadOnlyList<string> VoidTerms { get; }

    /// <summary>True when this domain is already being evaluated higher up the same branch: an include or redirect loop.</summary>
    public bool IsLoop { get; }

    /// <summary>What is wrong with this node, if anything.</summary>
    public string Error { get; }

    /// <summary>The records this one includes or redirects to, in record order.</summary>
    public IReadOnlyList<SpfLookupNode> Children { get; }

    /// <summary>The networks this record's own ip4, ip6, a and mx terms with a pass qualifier authorize.</summary>
    public IReadOnlyList<SpfNetwork> Networks { get; }

    /// <summary>This node and every node below it, depth first, in record order.</summary>
    public IEnumerable<SpfLookupNode> Flatten()
    {
        yield return this;
        foreach (var c in Children)
            foreach (var n in c.Flatten())
                yield return n;
    }

    /// <summary>The term or domain, its own DNS lookups and those with everything below it, and LOOP or the error when there is one.</summary>
    public override string ToString() =>
        $"{Via ?? Domain}: {DnsLookupCount} lookup(s), {TotalDnsLookupCount} with includes{(IsLoop ? ", LOOP" : Error != null ? ", " + Error : string.Empty)}";
}
