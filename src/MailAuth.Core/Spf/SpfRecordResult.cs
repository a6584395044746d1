using System;
using System.Collections.Generic;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Spf;

/// <summary>
/// What Get-SpfRecord reports for one domain: the published record (RFC 7208 §4.5), its terms, the
/// findings, and with -Expand the include/redirect tree, the totals against the §4.6.4 limits and the
/// networks the record authorizes.
/// </summary>
public sealed class SpfRecordResult
{
    internal SpfRecordResult(string domain, RecordStatus status, DnsErrorKind errorKind, string record, IReadOnlyList<SpfTerm> terms,
        IReadOnlyList<Finding> findings, SpfLookupNode tree, IReadOnlyList<SpfNetwork> authorizedNetworks,
        IReadOnlyList<string> records = null, IReadOnlyList<DnsChange> changes = null)
    {
        Records = ReadOnlyArray.From(records ?? (record == null ? null : new[] { record }));
        Changes = ReadOnlyArray.From(changes);
        Domain = domain;
        Status = status;
        ErrorKind = errorKind;
        Record = record;
        Terms = ReadOnlyArray.From(terms);
        Findings = ReadOnlyArray.From(findings);
        Tree = tree;
        AuthorizedNetworks = ReadOnlyArray.From(authorizedNetworks);
        foreach (var t in Terms)
        {
            if (t is SpfMechanism m && m.Kind == SpfMechanismKind.All && All == null) All = m.Qualifier;
            if (t is SpfModifier mod && mod.IsRedirect) Redirect = mod.Value;
            if (t is SpfModifier e && e.IsExplanation) Explanation = e.Value;
        }
        if (tree != null)
        {
            DnsLookupCount = tree.TotalDnsLookupCount;
            VoidLookupCount = tree.TotalVoidLookupCount;
        }
    }

    /// <summary>The domain asked about.</summary>
    public string Domain { get; }

    /// <summary>Found, NotFound (no v=spf1 record) or Error (the lookup failed; see <see cref="ErrorKind"/>).</summary>
    public RecordStatus Status { get; }

    /// <summary>Why the lookup failed, when <see cref="Status"/> is Error.</summary>
    public DnsErrorKind ErrorKind { get; }

    /// <summary>The record text (the first one when several are published).</summary>
    public string Record { get; }

    /// <summary>Every v=spf1 record published at the domain, each with its character-strings joined; more than one is a PermError (RFC 7208 §4.5).</summary>
    public IReadOnlyList<string> Records { get; }

    /// <summary>The DNS changes that fix what is wrong, where a fix is known (two SPF records: one merged record); empty otherwise.</summary>
    public IReadOnlyList<DnsChange> Changes { get; }

    /// <summary>Every term: qualifier, mechanism or modifier name, value, CIDR lengths.</summary>
    public IReadOnlyList<SpfTerm> Terms { get; }

    /// <summary>The qualifier of the "all" term, or null when there is none.</summary>
    public SpfQualifier? All { get; }

    /// <summary>The redirect= domain-spec, or null.</summary>
    public string Redirect { get; }

    /// <summary>The exp= domain-spec, or null.</summary>
    public string Explanation { get; }

    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>With -Expand: the include/redirect tree; otherwise null.</summary>
    public SpfLookupNode Tree { get; }

    /// <summary>With -Expand: DNS-querying terms in the whole tree (the limit is 10, RFC 7208 §4.6.4); otherwise null.</summary>
    public int? DnsLookupCount { get; }

    /// <summary>With -Expand: void lookups in the whole tree (the limit is 2); otherwise null.</summary>
    public int? VoidLookupCount { get; }

    /// <summary>With -Expand: the networks the record passes, merged and sorted (IPv4 first).</summary>
    public IReadOnlyList<SpfNetwork> AuthorizedNetworks { get; }

    public override string ToString() => $"{Domain}: {Status} {Record}";
}
