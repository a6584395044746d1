using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Spf;

/// <summary>
/// Reads and judges a domain's SPF record for Get-SpfRecord: selection (RFC 7208 §4.5), syntax (§4.6, §12),
/// risky terms (ptr, +all, ?all, missing all) and, with expand, the include/redirect tree with its DNS
/// lookup and void lookup totals against the limits of §4.6.4, loops, and the authorized networks.
/// Lookup counting follows <see cref="SpfEvaluator"/>: the worst case, every term evaluated, a diamond
/// (the same include reached on two branches) counted twice and not taken for a loop.
/// </summary>
public sealed class SpfRecordInspector
{
    private const int MaxDepth = 20;
    private readonly IDnsResolver _resolver;

    public SpfRecordInspector(IDnsResolver resolver) => _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));

    /// <summary>Looks up and judges the SPF record of <paramref name="domain"/>; with <paramref name="expand"/>, follows includes and redirects.</summary>
    /// <exception cref="MailAuthInputException"><paramref name="domain"/> is not a valid domain name (ErrorId InvalidDomainName).</exception>
    public async Task<SpfRecordResult> InspectAsync(string domain, bool expand = false, CancellationToken cancellationToken = default)
    {
        domain = DomainName.Normalize(domain);
        var findings = new List<Finding>();
        var txtTask = _resolver.QueryAsync(domain, DnsRecordType.TXT, cancellationToken);
        var type99Task = _resolver.QueryAsync(domain, DnsRecordType.SPF, cancellationToken);
        var txt = await txtTask.ConfigureAwait(false);
        var type99 = await type99Task.ConfigureAwait(false);

        if (txt.IsError)
        {
            findings.Add(Finding.Error(SpfFindingCodes.LookupFailed,
                $"Could not look up the SPF record of {domain}: {txt.Describe()}. This says nothing about whether it exists; receivers that see this get TempError. Try again, or ask another server with -Server.",
                "RFC 7208 §4.4", domain));
            return new SpfRecordResult(domain, RecordStatus.Error, txt.ErrorKind, null, null, findings, null, null);
        }

        if (type99.Records.Any(r => r.Type == DnsRecordType.SPF))
            findings.Add(Finding.Warning(SpfFindingCodes.DeprecatedRecordType,
                $"{domain} publishes a record of type SPF (99). RFC 7208 removed that type and receivers do not look at it; publish the policy as a TXT record only and delete the SPF-type record.",
                "RFC 7208 §3.1", domain));

        var spf = TxtRecordSelector.Select(txt, SpfRecord.IsSpfRecord);
        if (spf.Count == 0)
        {
            findings.Add(Finding.Warning(SpfFindingCodes.NotFound,
                $"{domain} has no SPF record, so receivers get SPF None for mail from it. Publish a TXT record at {domain} such as \"v=spf1 include:<your provider> -all\", or \"v=spf1 -all\" if the domain sends no mail.",
                "RFC 7208 §4.5", domain));
            return new SpfRecordResult(domain, RecordStatus.NotFound, DnsErrorKind.None, null, null, findings, null, null);
        }

        if (spf.Count > 1)
            findings.Add(Finding.Error(SpfFindingCodes.MultipleRecords,
                $"{domain} publishes {spf.Count} SPF records; receivers return PermError when there is more than one. Merge them into one TXT record: " + string.Join(" | ", spf.Select(r => "\"" + r.JoinedText + "\"")),
                "RFC 7208 §4.5", domain));

        foreach (var r in spf)
            foreach (var s in r.Text.Where(s => s.Length > 255))
                findings.Add(Finding.Error(SpfFindingCodes.StringTooLong,
                    $"A character-string of the SPF record of {domain} is {s.Length} characters long; a DNS string holds at most 255. Split the record into several quoted strings of up to 255 characters each (they are joined without spaces).",
                    "RFC 7208 §3.3", domain));

        var text = spf[0].JoinedText;
        if (!SpfRecordParser.TryParse(text, out var record, out var error, out _))
        {
            findings.Add(Finding.Error(SpfFindingCodes.SyntaxError,
                $"The SPF record of {domain} is invalid, so receivers return PermError: {error}. Correct or remove that term.",
                "RFC 7208 §4.6", domain));
            var published = spf.Select(r => r.JoinedText).ToList();
            return new SpfRecordResult(domain, RecordStatus.Found, DnsErrorKind.None, text, null, findings, null, null, published, MergeChanges(domain, published));
        }

        JudgeRecord(domain, record, findings);

        SpfLookupNode tree = null;
        IReadOnlyList<SpfNetwork> networks = null;
        if (expand && spf.Count == 1)
        {
            var state = new ExpansionState();
            tree = await ExpandRecordAsync(domain, null, 0, record, new List<string>(), state, cancellationToken).ConfigureAwait(false);
            JudgeTree(domain, tree, state, findings);
            networks = SpfNetwork.Merge(AuthorizedNetworks(tree));
        }
        else if (!expand)
        {
            int own = record.Terms.Count(t => t.CountsTowardLookupLimit && !(t is SpfModifier m && m.IsRedirect && record.All != null));
            if (own > SpfEvaluator.MaxDnsLookups)
                findings.Add(TooManyLookups(domain, own, "its own terms alone"));
        }

        var all = spf.Select(r => r.JoinedText).ToList();
        return new SpfRecordResult(domain, RecordStatus.Found, DnsErrorKind.None, text, record.Terms, findings, tree, networks, all, MergeChanges(domain, all));
    }

    /// <summary>
    /// Two or more SPF records (RFC 7208 §4.5): replace the first with one record that authorizes what each did
    /// (<see cref="SpfRecordEditor.Merge"/>) and delete the others, each by its exact value. A merge keeps every
    /// sender working; deleting one record would silently stop the mail its sender sends. None when the records
    /// cannot be merged without a person (a redirect=).
    /// </summary>
    internal static IReadOnlyList<DnsChange> MergeChanges(string domain, IReadOnlyList<string> records, string mustInclude = null)
    {
        if (records.Count < 2) return null;
        var merged = SpfRecordEditor.Merge(records);
        if (merged == null) return null;
        if (mustInclude != null) merged = SpfRecordEditor.WithInclude(merged, mustInclude);
        const string reference = "RFC 7208 §4.5";
        var reason = $"{domain} publishes {records.Count} SPF records, which receivers treat as PermError; one merged record authorizes what each did (check its DNS lookup count with Get-SpfRecord -Expand).";
        var changes = new List<DnsChange>
        {
            new DnsChange(DnsChangeAction.Replace, domain, "TXT", records[0], merged, reason: reason, reference: reference),
        };
        changes.AddRange(records.Skip(1).Select(r => new DnsChange(DnsChangeAction.Delete, domain, "TXT", r, null, reason: reason, reference: reference)));
        return changes;
    }

    private static void JudgeRecord(string domain, SpfRecord record, List<Finding> findings)
    {
        foreach (var m in record.Mechanisms.Where(m => m.Kind == SpfMechanismKind.Ptr))
            findings.Add(Finding.Warning(SpfFindingCodes.PtrMechanism,
                $"The record of {domain} uses '{m.Text}'. The ptr mechanism is slow, unreliable and \"SHOULD NOT be published\"; many receivers ignore it. Replace it with ip4:/ip6: or a: terms for the sending hosts.",
                "RFC 7208 §5.5", domain));

        var all = record.All;
        if (all != null && all.Qualifier == SpfQualifier.Pass)
            findings.Add(Finding.Error(SpfFindingCodes.PassAll,
                $"The record of {domain} ends in '{all.Text}', which authorizes every host on the internet to send as {domain}. Use -all (or ~all while testing) and list the real senders before it.",
                "RFC 7208 §5.1", domain));
        else if (all != null && all.Qualifier == SpfQualifier.Neutral)
            findings.Add(Finding.Warning(SpfFindingCodes.NeutralAll,
                $"The record of {domain} ends in '{all.Text}': mail from unlisted hosts gets Neutral, which protects nothing. Use -all (or ~all) once every sender is listed.",
                "RFC 7208 §5.1", domain));
        else if (all == null && record.Redirect == null)
            findings.Add(Finding.Warning(SpfFindingCodes.NoAll,
                $"The record of {domain} has neither an 'all' mechanism nor a redirect=, so mail from unlisted hosts gets Neutral. End the record with -all (or ~all).",
                "RFC 7208 §4.7", domain));

        if (all != null && record.Redirect != null)
            findings.Add(Finding.Warning(SpfFindingCodes.RedirectIgnored,
                $"The record of {domain} has both '{all.Text}' and '{record.Redirect.Text}'; with an 'all' mechanism the redirect is ignored. Remove one of them.",
                "RFC 7208 §6.1", domain));

        if (all != null)
        {
            int index = -1;
            for (int i = 0; i < record.Mechanisms.Count; i++) if (ReferenceEquals(record.Mechanisms[i], all)) index = i;
            if (index >= 0 && index < record.Mechanisms.Count - 1)
                findings.Add(Finding.Warning(SpfFindingCodes.TermsAfterAll,
                    $"In the record of {domain}, '{string.Join(" ", record.Mechanisms.Skip(index + 1).Select(m => m.Text))}' come(s) after '{all.Text}' and is never evaluated. Move those terms before '{all.Text}' or remove them.",
                    "RFC 7208 §5.1", domain));
        }

        foreach (var m in record.Modifiers.Where(m => m.IsUnknown))
            findings.Add(Finding.Info(SpfFindingCodes.UnknownModifier,
                $"The record of {domain} has the modifier '{m.Text}', which receivers ignore. Remove it unless a tool of yours reads it (check the spelling of redirect= and exp=).",
                "RFC 7208 §6", domain));
    }

    private static Finding TooManyLookups(string domain, int count, string what) =>
        Finding.Error(SpfFindingCodes.TooManyLookups,
            $"The SPF record of {domain} needs {count} DNS-querying terms ({what}); receivers stop at {SpfEvaluator.MaxDnsLookups} and return PermError. Remove includes you no longer use, replace a and mx terms with ip4:/ip6: networks, or have providers' networks listed directly.",
            "RFC 7208 §4.6.4", domain);

    private static void JudgeTree(string domain, SpfLookupNode tree, ExpansionState state, List<Finding> findings)
    {
        if (tree.TotalDnsLookupCount > SpfEvaluator.MaxDnsLookups)
            findings.Add(TooManyLookups(domain, tree.TotalDnsLookupCount, "counting every include, a, mx, ptr, exists and redirect in the whole tree"));
        if (tree.TotalVoidLookupCount > SpfEvaluator.MaxVoidLookups)
            findings.Add(Finding.Error(SpfFindingCodes.TooManyVoidLookups,
                $"{tree.TotalVoidLookupCount} terms in the SPF tree of {domain} look up names that do not exist or have no records; receivers stop at {SpfEvaluator.MaxVoidLookups} and return PermError. Remove the terms that point at missing names: {string.Join(", ", tree.Flatten().SelectMany(n => n.VoidTerms.Select(t => n.Domain + ": " + t)))}.",
                "RFC 7208 §4.6.4", domain));

        foreach (var node in tree.Flatten())
        {
            foreach (var v in node.VoidTerms)
                findings.Add(Finding.Warning(SpfFindingCodes.VoidLookup,
                    $"'{v}' in the record of {node.Domain} looks up a name that does not exist or has no records (a void lookup; at most {SpfEvaluator.MaxVoidLookups} are allowed). Remove the term or publish the record it expects.",
                    "RFC 7208 §4.6.4", node.Domain));
            if (node.Via == null) continue;
            bool redirect = node.Via.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase);
            if (node.IsLoop)
                findings.Add(Finding.Error(SpfFindingCodes.IncludeLoop,
                    $"'{node.Via}' leads back to {node.Domain}, which is already being evaluated on the same branch: a loop, and receivers return PermError. Remove that {(redirect ? "redirect" : "include")}.",
                    redirect ? "RFC 7208 §6.1" : "RFC 7208 §5.2", node.Domain));
            else if (node.Status == RecordStatus.NotFound && node.Error == null)
                findings.Add(Finding.Error(SpfFindingCodes.IncludeNotFound,
                    $"'{node.Via}' points at {node.Domain}, which has no SPF record; receivers return PermError for the whole record. Correct the name or remove the term.",
                    redirect ? "RFC 7208 §6.1" : "RFC 7208 §5.2", node.Domain));
            else if (node.Status == RecordStatus.Error && node.ErrorKind != DnsErrorKind.None)
                findings.Add(Finding.Warning(SpfFindingCodes.IncludeLookupFailed,
                    $"The SPF record of {node.Domain} (reached by '{node.Via}') could not be fetched: {node.Error}. Receivers that see this return TempError; the lookup totals may be incomplete.",
                    "RFC 7208 §4.4", node.Domain));
            else if (node.Status == RecordStatus.Error)
                findings.Add(Finding.Error(SpfFindingCodes.IncludeInvalid,
                    $"The SPF record of {node.Domain} (reached by '{node.Via}') is unusable: {node.Error}. Receivers return PermError; ask its owner to fix it or remove the term.",
                    "RFC 7208 §4.6", node.Domain));
        }

        foreach (var (node, term, count) in state.LargeMx)
            findings.Add(Finding.Error(SpfFindingCodes.TooManyMxNames,
                $"'{term}' in the record of {node} names {count} MX hosts; an mx mechanism may look at most {SpfEvaluator.MaxNameLookups}, beyond that receivers return PermError. List the senders with ip4:/ip6: instead.",
                "RFC 7208 §4.6.4", node));
        foreach (var (node, term) in state.Macros)
            findings.Add(Finding.Info(SpfFindingCodes.MacroNotExpanded,
                $"'{term}' in the record of {node} uses macros, which depend on the message; it was counted but not followed. Use Test-Spf to evaluate it for a given sender and address.",
                "RFC 7208 §7", node));
    }

    private async Task<SpfLookupNode> ExpandDomainAsync(string domain, string via, int depth, List<string> path, ExpansionState state, CancellationToken ct)
    {
        if (path.Contains(domain))
            return new SpfLookupNode(domain: domain, via: via, depth: depth, status: RecordStatus.Found, errorKind: DnsErrorKind.None,
                record: null, dnsLookupCount: 0, voidTerms: null, isLoop: true,
                error: $"{domain} is already being evaluated on this branch", children: null, networks: null);
        if (depth > MaxDepth)
            return new SpfLookupNode(domain: domain, via: via, depth: depth, status: RecordStatus.Error, errorKind: DnsErrorKind.None,
                record: null, dnsLookupCount: 0, voidTerms: null, isLoop: false, error: $"the tree is deeper than {MaxDepth} levels",
                children: null, networks: null);

        var txt = await _resolver.QueryAsync(domain, DnsRecordType.TXT, ct).ConfigureAwait(false);
        if (txt.IsError)
            return new SpfLookupNode(domain: domain, via: via, depth: depth, status: RecordStatus.Error, errorKind: txt.ErrorKind,
                record: null, dnsLookupCount: 0, voidTerms: null, isLoop: false, error: txt.Describe(), children: null, networks: null);
        var spf = TxtRecordSelector.Select(txt, SpfRecord.IsSpfRecord);
        if (spf.Count == 0)
            return new SpfLookupNode(domain: domain, via: via, depth: depth, status: RecordStatus.NotFound, errorKind: DnsErrorKind.None,
                record: null, dnsLookupCount: 0, voidTerms: null, isLoop: false, error: null, children: null, networks: null);
        if (spf.Count > 1)
            return new SpfLookupNode(domain: domain, via: via, depth: depth, status: RecordStatus.Error, errorKind: DnsErrorKind.None,
                record: spf[0].JoinedText, dnsLookupCount: 0, voidTerms: null, isLoop: false,
                error: $"{domain} publishes {spf.Count} SPF records (RFC 7208 §4.5)", children: null, networks: null);
        if (!SpfRecordParser.TryParse(spf[0].JoinedText, out var record, out var error, out _))
            return new SpfLookupNode(domain: domain, via: via, depth: depth, status: RecordStatus.Error, errorKind: DnsErrorKind.None,
                record: spf[0].JoinedText, dnsLookupCount: 0, voidTerms: null, isLoop: false, error: error, children: null, networks: null);
        return await ExpandRecordAsync(domain, via, depth, record, path, state, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Expands one record: the terms' lookups run concurrently (a receiver would run them one after the other, but
    /// the counts do not depend on the order), and the results are assembled in record order.
    /// </summary>
    private async Task<SpfLookupNode> ExpandRecordAsync(string domain, string via, int depth, SpfRecord record, List<string> path, ExpansionState state, CancellationToken ct)
    {
        int lookups = 0;
        var networks = new List<SpfNetwork>();
        var here = new List<string>(path) { domain };
        var terms = new List<Task<TermExpansion>>();
        foreach (var m in record.Mechanisms)
        {
            ct.ThrowIfCancellationRequested();
            if (m.Kind == SpfMechanismKind.Ip4 || m.Kind == SpfMechanismKind.Ip6)
            {
                if (m.Qualifier == SpfQualifier.Pass)
                    networks.Add(new SpfNetwork(m.NetworkAddress, m.Kind == SpfMechanismKind.Ip4 ? m.EffectiveIp4Cidr : m.EffectiveIp6Cidr));
                continue;
            }
            if (!m.CountsTowardLookupLimit) continue;
            lookups++;
            if (m.Kind == SpfMechanismKind.Ptr) continue;
            if (m.DomainSpec != null && m.DomainSpec.IndexOf('%') >= 0)
            {
                state.AddMacro(domain, m.Text);
                continue;
            }
            var target = m.DomainSpec == null ? domain : MacroExpander.TruncateDomain(m.DomainSpec).ToLowerInvariant();
            terms.Add(ExpandTermAsync(domain, m, target, depth, here, state, ct));
        }

        if (record.Redirect != null && record.All == null)
        {
            lookups++;
            if (record.Redirect.Value.IndexOf('%') >= 0) state.AddMacro(domain, record.Redirect.Text);
            else terms.Add(ExpandRedirectAsync(record.Redirect, depth, here, state, ct));
        }

        var voids = new List<string>();
        var children = new List<SpfLookupNode>();
        foreach (var t in await Task.WhenAll(terms).ConfigureAwait(false))
        {
            if (t.IsVoid) voids.Add(t.Term);
            networks.AddRange(t.Networks);
            if (t.Child != null) children.Add(t.Child);
        }
        return new SpfLookupNode(domain: domain, via: via, depth: depth, status: RecordStatus.Found, errorKind: DnsErrorKind.None,
            record: record.Text, dnsLookupCount: lookups, voidTerms: voids, isLoop: false, error: null, children: children,
            networks: SpfNetwork.Merge(networks));
    }

    private async Task<TermExpansion> ExpandRedirectAsync(SpfModifier redirect, int depth, List<string> path, ExpansionState state, CancellationToken ct)
    {
        var target = MacroExpander.TruncateDomain(redirect.Value).ToLowerInvariant();
        return new TermExpansion(redirect.Text) { Child = await ExpandDomainAsync(target, redirect.Text, depth + 1, path, state, ct).ConfigureAwait(false) };
    }

    private async Task<TermExpansion> ExpandTermAsync(string domain, SpfMechanism m, string target, int depth, List<string> path, ExpansionState state, CancellationToken ct)
    {
        var result = new TermExpansion(m.Text);
        switch (m.Kind)
        {
            case SpfMechanismKind.Include:
                result.Child = await ExpandDomainAsync(target, m.Text, depth + 1, path, state, ct).ConfigureAwait(false);
                break;
            case SpfMechanismKind.Exists:
                result.IsVoid = (await _resolver.QueryAsync(target, DnsRecordType.A, ct).ConfigureAwait(false)).IsVoid;
                break;
            case SpfMechanismKind.A:
                result.IsVoid = !await AddAddressesAsync(target, m, result.Networks, ct).ConfigureAwait(false);
                break;
            case SpfMechanismKind.Mx:
            {
                var mx = await _resolver.QueryAsync(target, DnsRecordType.MX, ct).ConfigureAwait(false);
                if (mx.IsVoid) { result.IsVoid = true; break; }
                if (mx.Records.Count > SpfEvaluator.MaxNameLookups) state.AddLargeMx(domain, m.Text, mx.Records.Count);
                var hosts = mx.Records.Take(SpfEvaluator.MaxNameLookups).Where(h => !string.IsNullOrEmpty(h.Target))
                    .Select(h => (Networks: new List<SpfNetwork>(), Host: h.Target)).ToList();
                await Task.WhenAll(hosts.Select(h => AddAddressesAsync(h.Host, m, h.Networks, ct))).ConfigureAwait(false);
                foreach (var h in hosts) result.Networks.AddRange(h.Networks);
                break;
            }
        }
        return result;
    }

    /// <summary>Adds the A and AAAA addresses of <paramref name="name"/> (with the term's CIDR lengths) when the term passes; false when the name has neither.</summary>
    private async Task<bool> AddAddressesAsync(string name, SpfMechanism m, List<SpfNetwork> networks, CancellationToken ct)
    {
        var v4Task = _resolver.QueryAsync(name, DnsRecordType.A, ct);
        var v6Task = _resolver.QueryAsync(name, DnsRecordType.AAAA, ct);
        var v4 = await v4Task.ConfigureAwait(false);
        var v6 = await v6Task.ConfigureAwait(false);
        if (m.Qualifier == SpfQualifier.Pass)
        {
            foreach (var r in v4.Records) if (r.Address != null) networks.Add(new SpfNetwork(r.Address, m.EffectiveIp4Cidr));
            foreach (var r in v6.Records) if (r.Address != null) networks.Add(new SpfNetwork(r.Address, m.EffectiveIp6Cidr));
        }
        return !(v4.IsVoid && v6.IsVoid);
    }

    /// <summary>The networks a client can pass from: the top record's, and those of includes with a pass qualifier and of redirects.</summary>
    private static IEnumerable<SpfNetwork> AuthorizedNetworks(SpfLookupNode node)
    {
        foreach (var n in node.Networks) yield return n;
        foreach (var child in node.Children)
        {
            if (child.IsLoop || child.Via == null) continue;
            var via = child.Via;
            bool passes = via.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase) || via.StartsWith("include:", StringComparison.OrdinalIgnoreCase) || via.StartsWith("+", StringComparison.Ordinal);
            if (!passes) continue;
            foreach (var n in AuthorizedNetworks(child)) yield return n;
        }
    }

    /// <summary>What one term of a record contributed: whether its lookup was void, the networks it passes, the record it leads to.</summary>
    private sealed class TermExpansion
    {
        public TermExpansion(string term) => Term = term;
        public string Term { get; }
        public bool IsVoid { get; set; }
        public List<SpfNetwork> Networks { get; } = new List<SpfNetwork>();
        public SpfLookupNode Child { get; set; }
    }

    /// <summary>Observations gathered while expanding concurrently; read in a fixed order afterwards.</summary>
    private sealed class ExpansionState
    {
        private readonly List<(string Node, string Term, int Count)> _largeMx = new List<(string, string, int)>();
        private readonly List<(string Node, string Term)> _macros = new List<(string, string)>();

        public void AddLargeMx(string node, string term, int count) { lock (_largeMx) _largeMx.Add((node, term, count)); }
        public void AddMacro(string node, string term) { lock (_macros) _macros.Add((node, term)); }

        public IEnumerable<(string Node, string Term, int Count)> LargeMx => _largeMx.Distinct().OrderBy(x => x.Node, StringComparer.Ordinal).ThenBy(x => x.Term, StringComparer.Ordinal);
        public IEnumerable<(string Node, string Term)> Macros => _macros.Distinct().OrderBy(x => x.Node, StringComparer.Ordinal).ThenBy(x => x.Term, StringComparer.Ordinal);
    }
}
