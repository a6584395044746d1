using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Spf;

/// <summary>
/// check_host() of RFC 7208 §4: evaluates the SPF policy of a domain for a client address, with every
/// processing limit of §4.6.4 (10 DNS-querying terms, 2 void lookups, 10 names per mx and ptr),
/// TempError for DNS failures and PermError for broken records. Hostile records end in an error
/// result with a reason; this class throws only for null arguments and cancellation.
/// </summary>
public sealed class SpfEvaluator
{
    /// <summary>RFC 7208 §4.6.4: at most 10 terms that cause DNS queries.</summary>
    public const int MaxDnsLookups = 10;

    /// <summary>RFC 7208 §4.6.4: at most 2 void lookups.</summary>
    public const int MaxVoidLookups = 2;

    /// <summary>RFC 7208 §4.6.4: an mx term may look at 10 exchanges, a ptr term at 10 names.</summary>
    public const int MaxNameLookups = 10;

    private readonly IDnsResolver _resolver;
    private readonly SpfRecordCache _records = new SpfRecordCache();

    public SpfEvaluator(IDnsResolver resolver) => _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));

    /// <summary>The receiving host's domain, for the %{r} macro of explanations. Default "unknown".</summary>
    public string ReceiverDomain { get; set; } = "unknown";

    /// <summary>
    /// Checks whether <paramref name="ip"/> may send mail for <paramref name="mailFrom"/> (an address or a
    /// domain). When <paramref name="mailFrom"/> is empty, the HELO identity is checked: the sender becomes
    /// postmaster@<paramref name="helo"/> (RFC 7208 §2.4, §4.3).
    /// </summary>
    public async Task<SpfCheckResult> CheckHostAsync(IPAddress ip, string mailFrom, string helo, CancellationToken cancellationToken = default)
    {
        if (ip == null) throw new ArgumentNullException(nameof(ip));
        if (ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        helo = helo?.Trim();
        var from = mailFrom?.Trim().Trim(TrimChars.AngleBrackets) ?? string.Empty;

        string sender;
        if (from.Length == 0) sender = "postmaster@" + (helo ?? string.Empty);
        else if (from.IndexOf('@') < 0) sender = "postmaster@" + from;
        else if (from[0] == '@') sender = "postmaster" + from;
        else sender = from;

        var domain = sender.Substring(sender.LastIndexOf('@') + 1);
        if (domain.EndsWith(".", StringComparison.Ordinal)) domain = domain.Substring(0, domain.Length - 1);
        var ev = new Evaluation(ip, new SpfMacroContext(ip, sender, domain, helo) { Receiver = ReceiverDomain });
        ev.Step(from.Length == 0 ? (FormattableString)$"MAIL FROM is empty: checking the HELO identity {sender}" : $"checking {sender} for {ip}");

        var outcome = IsCheckableDomain(domain, out var why)
            ? await CheckDomainAsync(domain, ev, true, cancellationToken).ConfigureAwait(false)
            : ev.Ends(SpfResult.None, null, $"'{domain}' is not a domain that can have an SPF record ({why}), so there is no policy to check (RFC 7208 §4.3)");

        var result = outcome.Result;
        ev.Step("result: {0}", result);
        return new SpfCheckResult(result: result, domain: domain, ipAddress: ip, mailFrom: sender, helo: helo, matchedTerm: ev.MatchedTerm,
            explanation: result == SpfResult.Fail ? ev.Explanation : null,
            dnsLookupCount: ev.Lookups, voidLookupCount: ev.Voids, trace: ev.Trace, reason: outcome.Reason);
    }

    /// <summary>RFC 7208 §4.3: a domain must be a multi-label FQDN with labels of 1 to 63 characters.</summary>
    internal static bool IsCheckableDomain(string domain, out string why)
    {
        why = null;
        if (string.IsNullOrEmpty(domain)) { why = "it is empty"; return false; }
        if (domain[0] == '[') { why = "it is an address literal"; return false; }
        if (domain.Length > 253) { why = "it is longer than 253 characters"; return false; }
        int labels = 0, start = 0;
        for (int i = 0; i <= domain.Length; i++)
        {
            if (i < domain.Length && domain[i] != '.')
            {
                if (domain[i] > 0x7e || domain[i] < 0x20) { why = "it contains a character that is not printable ASCII"; return false; }
                continue;
            }
            int len = i - start;
            if (len == 0) { why = "it has an empty label"; return false; }
            if (len > 63) { why = "it has a label longer than 63 characters"; return false; }
            labels++;
            start = i + 1;
        }
        if (labels < 2) { why = "it is not a fully qualified domain name"; return false; }
        return true;
    }

    /// <summary>check_host() for one domain: its record fetched, chosen and evaluated (RFC 7208 §4.4 to §4.7).</summary>
    private async ValueTask<SpfOutcome> CheckDomainAsync(string domain, Evaluation ev, bool explanationAllowed, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (ev.Stack.Count > 2 * MaxDnsLookups)
            return new SpfOutcome(SpfResult.PermError, null, $"the include/redirect chain is deeper than the lookup limit allows (RFC 7208 §4.6.4)");

        var answer = await _resolver.QueryAsync(domain, DnsRecordType.TXT, ct).ConfigureAwait(false);
        if (answer.IsError)
            return ev.Ends(SpfResult.TempError, null, $"the SPF record of {domain} could not be fetched: {answer.Describe()} (RFC 7208 §4.4)");

        var records = TxtRecordSelector.Select(answer, SpfRecord.IsSpfRecord);
        int found = records.Count;
        if (found == 0)
            return ev.Ends(SpfResult.None, null, $"{domain} publishes no SPF record{(answer.Status == DnsResponseStatus.NxDomain ? " (the domain does not exist)" : string.Empty)} (RFC 7208 §4.5)");
        if (found > 1)
            return ev.Ends(SpfResult.PermError, null, $"{domain} publishes {found} SPF records; there must be exactly one (RFC 7208 §4.5)");

        var text = TxtRecordSelector.Text(records[0]);
        ev.Step("{0}: \"{1}\"", domain, text);
        var record = _records.Get(text, out var syntaxError);
        if (record == null)
            return ev.Ends(SpfResult.PermError, null, $"the SPF record of {domain} is invalid: {syntaxError} (RFC 7208 §4.6)");

        ev.Stack.Add(domain);
        try
        {
            return await EvaluateRecordAsync(record, domain, ev, explanationAllowed, ct).ConfigureAwait(false);
        }
        finally
        {
            ev.Stack.RemoveAt(ev.Stack.Count - 1);
        }
    }

    private async ValueTask<SpfOutcome> EvaluateRecordAsync(SpfRecord record, string domain, Evaluation ev, bool explanationAllowed, CancellationToken ct)
    {
        foreach (var mechanism in record.Mechanisms)
        {
            ev.Context.Domain = domain;
            var match = await MatchAsync(mechanism, domain, ev, ct).ConfigureAwait(false);
            if (match.Error is SpfOutcome error) return error;
            if (!match.Matched) continue;

            var result = mechanism.MatchResult;
            ev.MatchedTerm = mechanism.Text;
            ev.Step("{0} matches: {1}", mechanism.Text, result);
            if (result == SpfResult.Fail && explanationAllowed && record.Explanation != null)
            {
                ev.Context.Domain = domain;
                await ExplainAsync(record.Explanation, ev, ct).ConfigureAwait(false);
            }
            return new SpfOutcome(result, mechanism.Text, $"{mechanism.Text} in the record of {domain} matched {ev.Ip}: {result}");
        }

        if (record.Redirect != null && record.All == null)
        {
            var redirect = record.Redirect;
            if (CountLookup(redirect, ev) is SpfOutcome tooMany) return tooMany;
            ev.Context.Domain = domain;
            var usedP = await NeedsValidatedNameAsync(redirect.Value, domain, ev, ct).ConfigureAwait(false);
            if (ExpandTarget(redirect.Value, redirect, ev, usedP, out var target) is SpfOutcome macroError) return macroError;
            ev.Step("no mechanism matched; redirect={0}", target);
            if (!IsCheckableDomain(target, out var why))
                return ev.Ends(SpfResult.PermError, redirect.Text, $"redirect={target} names no valid domain ({why}) (RFC 7208 §6.1)");
            if (ev.Stack.Contains(target))
                return ev.Ends(SpfResult.PermError, redirect.Text, $"redirect={target} leads back to {target}, which is already being evaluated: a loop (RFC 7208 §6.1)");
            ev.Explanation = null;
            var outcome = await CheckDomainAsync(target, ev, explanationAllowed, ct).ConfigureAwait(false);
            if (outcome.Result == SpfResult.None)
                return ev.Ends(SpfResult.PermError, redirect.Text, $"redirect={target}: {target} has no SPF record (RFC 7208 §6.1)");
            return outcome;
        }

        ev.MatchedTerm = null;
        ev.Step("no mechanism matched: Neutral");
        return new SpfOutcome(SpfResult.Neutral, null, $"no mechanism in the record of {domain} matched {ev.Ip} and there is no redirect: Neutral (RFC 7208 §4.7)");
    }

    private async ValueTask<MechanismMatch> MatchAsync(SpfMechanism m, string domain, Evaluation ev, CancellationToken ct)
    {
        switch (m.Kind)
        {
            case SpfMechanismKind.All:
                return MechanismMatch.Match;

            case SpfMechanismKind.Ip4:
            case SpfMechanismKind.Ip6:
            {
                bool family = (m.Kind == SpfMechanismKind.Ip4) == (ev.Ip.AddressFamily == AddressFamily.InterNetwork);
                bool match = family && InNetwork(ev.IpBytes, m.NetworkBytes, m.Kind == SpfMechanismKind.Ip4 ? m.EffectiveIp4Cidr : m.EffectiveIp6Cidr);
                if (!match) ev.Step("{0}: no match", m.Text);
                return match ? MechanismMatch.Match : MechanismMatch.NoMatch;
            }
        }

        if (CountLookup(m, ev) is SpfOutcome tooMany) return tooMany;
        string target = domain;
        if (m.DomainSpec != null)
        {
            bool p = await NeedsValidatedNameAsync(m.DomainSpec, domain, ev, ct).ConfigureAwait(false);
            if (ExpandTarget(m.DomainSpec, m, ev, p, out target) is SpfOutcome macroError) return macroError;
        }

        switch (m.Kind)
        {
            case SpfMechanismKind.Include:
                return await MatchIncludeAsync(m, target, ev, ct).ConfigureAwait(false);
            case SpfMechanismKind.A:
                return await MatchAddressesAsync(m, target, ev, ct).ConfigureAwait(false);
            case SpfMechanismKind.Mx:
                return await MatchMxAsync(m, target, ev, ct).ConfigureAwait(false);
            case SpfMechanismKind.Ptr:
                return await MatchPtrAsync(m, target, ev, ct).ConfigureAwait(false);
            case SpfMechanismKind.Exists:
            {
                if (!IsQueryableName(target, m, ev, out var invalid)) return invalid;
                var answer = await _resolver.QueryAsync(target, DnsRecordType.A, ct).ConfigureAwait(false);
                if (answer.IsError) return DnsFailure(m, answer, ev);
                if (answer.Records.Count == 0) return Void(m, target, ev);
                ev.Step("{0}: {1} exists", m.Text, target);
                return MechanismMatch.Match;
            }
        }
        return MechanismMatch.NoMatch;
    }

    /// <summary>RFC 7208 §5.2: the include's own check_host() decides whether it matches; its errors are the including record's.</summary>
    private async ValueTask<MechanismMatch> MatchIncludeAsync(SpfMechanism m, string target, Evaluation ev, CancellationToken ct)
    {
        if (!IsCheckableDomain(target, out var why))
            return ev.Ends(SpfResult.PermError, m.Text, $"{m.Text} names no valid domain ({why}) (RFC 7208 §5.2)");
        if (ev.Stack.Contains(target))
            return ev.Ends(SpfResult.PermError, m.Text, $"{m.Text} leads back to {target}, which is already being evaluated: an include loop (RFC 7208 §5.2)");
        ev.Step("{0}: evaluating {1}", m.Text, target);
        var outer = ev.Context.Domain;
        var included = await CheckDomainAsync(target, ev, false, ct).ConfigureAwait(false);
        ev.Context.Domain = outer;
        switch (included.Result)
        {
            case SpfResult.Pass:
                ev.Step("{0}: {1} passed", m.Text, target);
                return MechanismMatch.Match;
            case SpfResult.Fail:
            case SpfResult.SoftFail:
            case SpfResult.Neutral:
                ev.Step("{0}: {1} returned {2}, no match", m.Text, target, included.Result);
                ev.MatchedTerm = null;
                return MechanismMatch.NoMatch;
            case SpfResult.None:
                return ev.Ends(SpfResult.PermError, m.Text, $"{m.Text}: {target} has no SPF record, which makes the including record a PermError (RFC 7208 §5.2)");
            default:
                // TempError and PermError inside the included record are the include's (RFC 7208 §5.2 table).
                return new SpfOutcome(included.Result, m.Text, $"{m.Text}: {included.Reason}");
        }
    }

    private async ValueTask<MechanismMatch> MatchAddressesAsync(SpfMechanism m, string target, Evaluation ev, CancellationToken ct)
    {
        if (!IsQueryableName(target, m, ev, out var invalid)) return invalid;
        var answer = await _resolver.QueryAsync(target, ev.AddressType, ct).ConfigureAwait(false);
        if (answer.IsError) return DnsFailure(m, answer, ev);
        if (answer.Records.Count == 0) return Void(m, target, ev);
        if (AnyInNetwork(answer, m, ev))
        {
            ev.Step("{0}: {1} has {2}", m.Text, target, ev.Ip);
            return MechanismMatch.Match;
        }
        ev.Step("{0}: {1} ({2} {3}) does not cover {4}", m.Text, target, answer.Records.Count, ev.AddressType, ev.Ip);
        return MechanismMatch.NoMatch;
    }

    private async ValueTask<MechanismMatch> MatchMxAsync(SpfMechanism m, string target, Evaluation ev, CancellationToken ct)
    {
        if (!IsQueryableName(target, m, ev, out var invalid)) return invalid;
        var answer = await _resolver.QueryAsync(target, DnsRecordType.MX, ct).ConfigureAwait(false);
        if (answer.IsError) return DnsFailure(m, answer, ev);
        if (answer.Records.Count == 0) return Void(m, target, ev);
        if (answer.Records.Count > MaxNameLookups)
            return ev.Ends(SpfResult.PermError, m.Text, $"{m.Text}: {target} has {answer.Records.Count} MX records; an mx mechanism may look up at most {MaxNameLookups} (RFC 7208 §4.6.4)");
        foreach (var mx in answer.Records)
        {
            if (string.IsNullOrEmpty(mx.Target)) continue;
            var addresses = await _resolver.QueryAsync(mx.Target, ev.AddressType, ct).ConfigureAwait(false);
            if (addresses.IsError) return DnsFailure(m, addresses, ev);
            if (AnyInNetwork(addresses, m, ev))
            {
                ev.Step("{0}: MX host {1} has {2}", m.Text, mx.Target, ev.Ip);
                return MechanismMatch.Match;
            }
        }
        ev.Step("{0}: none of the {1} MX hosts of {2} covers {3}", m.Text, answer.Records.Count, target, ev.Ip);
        return MechanismMatch.NoMatch;
    }

    private async ValueTask<MechanismMatch> MatchPtrAsync(SpfMechanism m, string target, Evaluation ev, CancellationToken ct)
    {
        var names = await ValidatedNamesAsync(ev, ct).ConfigureAwait(false);
        if (ev.PtrVoid && Void(m, ReverseDnsName.For(ev.Ip), ev).Error is SpfOutcome tooManyVoids) return tooManyVoids;
        foreach (var name in names)
        {
            if (DomainName.IsAtOrBelow(name, target))
            {
                ev.Step("{0}: validated name {1} is at or below {2}", m.Text, name, target);
                return MechanismMatch.Match;
            }
        }
        ev.Step("{0}: no validated name of {1} is at or below {2}", m.Text, ev.Ip, target);
        return MechanismMatch.NoMatch;
    }

    /// <summary>RFC 7208 §5.5: the PTR names of the client whose addresses include it (first 10 names only).</summary>
    private async ValueTask<List<string>> ValidatedNamesAsync(Evaluation ev, CancellationToken ct)
    {
        if (ev.ValidatedNames != null) return ev.ValidatedNames;
        var names = new List<string>();
        var reverse = ReverseDnsName.For(ev.Ip);
        var answer = await _resolver.QueryAsync(reverse, DnsRecordType.PTR, ct).ConfigureAwait(false);
        if (answer.IsError) ev.Step("PTR lookup failed ({0}): no validated name", answer.Describe());
        ev.PtrVoid = answer.IsVoid;
        int checkedNames = 0;
        foreach (var ptr in answer.Records)
        {
            if (string.IsNullOrEmpty(ptr.Target)) continue;
            if (++checkedNames > MaxNameLookups) break;
            var addresses = await _resolver.QueryAsync(ptr.Target, ev.AddressType, ct).ConfigureAwait(false);
            if (addresses.IsError) continue;
            foreach (var a in addresses.Records)
            {
                if (a.Address != null && a.Address.Equals(ev.Ip))
                {
                    names.Add(ptr.Target);
                    break;
                }
            }
        }
        ev.ValidatedNames = names;
        return names;
    }

    private async ValueTask<bool> NeedsValidatedNameAsync(string spec, string domain, Evaluation ev, CancellationToken ct)
    {
        if (spec.IndexOf("%{p", StringComparison.OrdinalIgnoreCase) < 0) return false;
        var names = await ValidatedNamesAsync(ev, ct).ConfigureAwait(false);
        string best = null;
        foreach (var n in names) if (string.Equals(n, domain, StringComparison.OrdinalIgnoreCase)) { best = n; break; }
        if (best == null) foreach (var n in names) if (DomainName.IsAtOrBelow(n, domain)) { best = n; break; }
        if (best == null && names.Count > 0) best = names[0];
        ev.Context.ValidatedName = best ?? "unknown";
        return true;
    }

    /// <summary>Expands a domain-spec (RFC 7208 §7); a macro error is a PermError of the term, returned as its outcome.</summary>
    private static SpfOutcome? ExpandTarget(string spec, SpfTerm term, Evaluation ev, bool usedP, out string target)
    {
        if (!MacroExpander.TryExpand(spec, ev.Context, false, out var expanded, out var error))
        {
            target = null;
            return ev.Ends(SpfResult.PermError, term.Text, $"{term.Text}: {error} (RFC 7208 §7)");
        }
        target = MacroExpander.TruncateDomain(expanded);
        if (!ReferenceEquals(expanded, spec)) ev.Step("{0}: expands to {1}{2}", term.Text, target, (usedP ? " (%{p} = " + ev.Context.ValidatedName + ")" : string.Empty));
        return null;
    }

    private static bool IsQueryableName(string target, SpfMechanism m, Evaluation ev, out MechanismMatch outcome)
    {
        if (IsCheckableDomain(target, out var why))
        {
            outcome = MechanismMatch.NoMatch;
            return true;
        }
        ev.Step("{0}: '{1}' cannot exist in the DNS ({2}): no match", m.Text, target, why);
        outcome = Void(m, target, ev);
        return false;
    }

    private async ValueTask ExplainAsync(SpfModifier exp, Evaluation ev, CancellationToken ct)
    {
        ev.Explanation = null;
        if (!MacroExpander.TryExpand(exp.Value, ev.Context, false, out var expanded, out var error))
        {
            ev.Step("{0}: {1}; no explanation", exp.Text, error);
            return;
        }
        var target = MacroExpander.TruncateDomain(expanded);
        if (!IsCheckableDomain(target, out var why)) { ev.Step("{0}: '{1}' is not a valid name ({2}); no explanation", exp.Text, target, why); return; }
        var answer = await _resolver.QueryAsync(target, DnsRecordType.TXT, ct).ConfigureAwait(false);
        int count = 0;
        string text = null;
        foreach (var r in answer.Records) if (r.Type == DnsRecordType.TXT) { count++; text = r.JoinedText; }
        if (answer.IsError || count != 1)
        {
            ev.Step("{0}: {1}; no explanation (RFC 7208 §6.2)", exp.Text, (answer.IsError ? answer.Describe() : count + " TXT records at " + target));
            return;
        }
        if (text.IndexOf("%{p", StringComparison.OrdinalIgnoreCase) >= 0) await NeedsValidatedNameAsync(text, ev.Context.Domain, ev, ct).ConfigureAwait(false);
        if (!MacroExpander.TryExpand(text, ev.Context, true, out var explanation, out error))
        {
            ev.Step("{0}: the explanation at {1} is invalid ({2}); no explanation", exp.Text, target, error);
            return;
        }
        ev.Explanation = explanation;
        ev.Step("explanation: {0}", explanation);
    }

    /// <summary>Counts a DNS-querying term (RFC 7208 §4.6.4); the eleventh is a PermError of that term.</summary>
    private static SpfOutcome? CountLookup(SpfTerm term, Evaluation ev)
    {
        ev.Lookups++;
        if (ev.Lookups <= MaxDnsLookups) return null;
        return ev.Ends(SpfResult.PermError, term.Text, $"{term.Text} is DNS-querying term number {ev.Lookups}; SPF allows at most {MaxDnsLookups} (RFC 7208 §4.6.4)");
    }

    /// <summary>A lookup that found nothing (RFC 7208 §4.6.4): no match, and a PermError after the second.</summary>
    private static MechanismMatch Void(SpfMechanism m, string target, Evaluation ev)
    {
        ev.Voids++;
        if (ev.Voids > MaxVoidLookups)
            return ev.Ends(SpfResult.PermError, m.Text, $"{m.Text}: {target} does not exist or has no records, void lookup number {ev.Voids}; SPF allows at most {MaxVoidLookups} (RFC 7208 §4.6.4)");
        ev.Step("{0}: {1} has no records (void lookup {2}): no match", m.Text, target, ev.Voids);
        return MechanismMatch.NoMatch;
    }

    private static MechanismMatch DnsFailure(SpfMechanism m, DnsAnswer answer, Evaluation ev) =>
        ev.Ends(SpfResult.TempError, m.Text, $"{m.Text}: {answer.Describe()} (RFC 7208 §5)");

    private static bool AnyInNetwork(DnsAnswer answer, SpfMechanism m, Evaluation ev)
    {
        int prefix = ev.Ip.AddressFamily == AddressFamily.InterNetwork ? m.EffectiveIp4Cidr : m.EffectiveIp6Cidr;
        foreach (var r in answer.Records)
        {
            if (r.Address == null || r.Address.AddressFamily != ev.Ip.AddressFamily) continue;
            if (InNetwork(ev.IpBytes, r.Address.GetAddressBytes(), prefix)) return true;
        }
        return false;
    }

    internal static bool InNetwork(byte[] ip, byte[] network, int prefix)
    {
        if (ip.Length != network.Length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (ip[i] != network[i]) return false;
        int bits = prefix % 8;
        if (bits == 0) return true;
        int mask = 0xff << (8 - bits) & 0xff;
        return (ip[full] & mask) == (network[full] & mask);
    }

    /// <summary>How one check_host() ended: its result, the term that decided it (if one did) and why.</summary>
    private readonly struct SpfOutcome
    {
        public SpfOutcome(SpfResult result, string term, FormattableString reason)
        {
            Result = result;
            Term = term;
            Reason = reason;
        }

        public SpfResult Result { get; }

        /// <summary>The term that caused the result, e.g. "include:_spf.example.com"; null for the record as a whole.</summary>
        public string Term { get; }

        public FormattableString Reason { get; }
    }

    /// <summary>What evaluating one mechanism gave: a match, no match, or an error that ends check_host().</summary>
    private readonly struct MechanismMatch
    {
        private MechanismMatch(bool matched, SpfOutcome? error)
        {
            Matched = matched;
            Error = error;
        }

        public static MechanismMatch Match => new MechanismMatch(true, null);
        public static MechanismMatch NoMatch => new MechanismMatch(false, null);

        public bool Matched { get; }

        /// <summary>The TempError or PermError the mechanism caused (RFC 7208 §4.6.4, §5); null when it matched or not.</summary>
        public SpfOutcome? Error { get; }

        public static implicit operator MechanismMatch(SpfOutcome error) => new MechanismMatch(false, error);
    }

    /// <summary>The state of one check_host() call: counters, trace, and the include/redirect stack for loop detection.</summary>
    private sealed class Evaluation
    {
        public Evaluation(IPAddress ip, SpfMacroContext context)
        {
            Ip = ip;
            IpBytes = ip.GetAddressBytes();
            AddressType = ip.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
            Context = context;
        }

        public IPAddress Ip { get; }
        public byte[] IpBytes { get; }
        public DnsRecordType AddressType { get; }
        public SpfMacroContext Context { get; }
        public int Lookups;
        public int Voids;
        /// <summary>The steps, unformatted: rendered only when someone reads the result's Trace.</summary>
        public List<SpfTraceStep> Trace { get; } = new List<SpfTraceStep>(8);
        public List<string> Stack { get; } = new List<string>(4);
        public string MatchedTerm;
        public string Explanation;
        public List<string> ValidatedNames;
        public bool PtrVoid;

        public void Step(FormattableString text) => Trace.Add(new SpfTraceStep(text));

        public void Step(string format, object a0 = null, object a1 = null, object a2 = null, object a3 = null, object a4 = null) =>
            Trace.Add(new SpfTraceStep(format, a0, a1, a2, a3, a4));

        /// <summary>An outcome that ends the check here, recorded in the trace.</summary>
        public SpfOutcome Ends(SpfResult result, string term, FormattableString reason)
        {
            Step(reason);
            return new SpfOutcome(result, term, reason);
        }
    }
}
