using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

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
        var from = mailFrom?.Trim().Trim('<', '>') ?? string.Empty;

        string sender;
        if (from.Length == 0) sender = "postmaster@" + (helo ?? string.Empty);
        else if (from.IndexOf('@') < 0) sender = "postmaster@" + from;
        else if (from[0] == '@') sender = "postmaster" + from;
        else sender = from;

        var domain = sender.Substring(sender.LastIndexOf('@') + 1);
        if (domain.EndsWith(".", StringComparison.Ordinal)) domain = domain.Substring(0, domain.Length - 1);
        var ev = new Evaluation(ip, new SpfMacroContext(ip, sender, domain, helo) { Receiver = ReceiverDomain });
        ev.Step(from.Length == 0 ? $"MAIL FROM is empty: checking the HELO identity {sender}" : $"checking {sender} for {ip}");

        SpfResult result;
        if (!IsCheckableDomain(domain, out var why))
        {
            ev.Reason = $"'{domain}' is not a domain that can have an SPF record ({why}), so there is no policy to check (RFC 7208 §4.3)";
            ev.Step(ev.Reason);
            result = SpfResult.None;
        }
        else
        {
            result = await CheckDomainAsync(domain, ev, true, cancellationToken).ConfigureAwait(false);
        }

        ev.Step($"result: {result}");
        return new SpfCheckResult(result, domain, ip, sender, helo, ev.MatchedTerm, result == SpfResult.Fail ? ev.Explanation : null,
            ev.Lookups, ev.Voids, ev.Trace, ev.Reason);
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

    private async Task<SpfResult> CheckDomainAsync(string domain, Evaluation ev, bool explanationAllowed, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (ev.Stack.Count > 2 * MaxDnsLookups)
        {
            ev.Reason = "the include/redirect chain is deeper than the lookup limit allows (RFC 7208 §4.6.4)";
            return SpfResult.PermError;
        }

        var answer = await _resolver.QueryAsync(domain, DnsRecordType.TXT, ct).ConfigureAwait(false);
        if (answer.IsError)
        {
            ev.Reason = $"the SPF record of {domain} could not be fetched: {answer.Describe()} (RFC 7208 §4.4)";
            ev.Step(ev.Reason);
            return SpfResult.TempError;
        }

        string text = null;
        int found = 0;
        foreach (var r in answer.Records)
        {
            if (r.Type != DnsRecordType.TXT) continue;
            var joined = r.Text.Count == 1 ? r.Text[0] : r.JoinedText;
            if (!SpfRecord.IsSpfRecord(joined)) continue;
            found++;
            text = joined;
        }
        if (found == 0)
        {
            ev.Reason = $"{domain} publishes no SPF record{(answer.Status == DnsResponseStatus.NxDomain ? " (the domain does not exist)" : string.Empty)} (RFC 7208 §4.5)";
            ev.Step(ev.Reason);
            return SpfResult.None;
        }
        if (found > 1)
        {
            ev.Reason = $"{domain} publishes {found} SPF records; there must be exactly one (RFC 7208 §4.5)";
            ev.Step(ev.Reason);
            return SpfResult.PermError;
        }

        ev.Step($"{domain}: \"{text}\"");
        var record = _records.Get(text, out var syntaxError);
        if (record == null)
        {
            ev.Reason = $"the SPF record of {domain} is invalid: {syntaxError} (RFC 7208 §4.6)";
            ev.Step(ev.Reason);
            return SpfResult.PermError;
        }

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

    private async Task<SpfResult> EvaluateRecordAsync(SpfRecord record, string domain, Evaluation ev, bool explanationAllowed, CancellationToken ct)
    {
        foreach (var mechanism in record.Mechanisms)
        {
            ev.Context.Domain = domain;
            var outcome = await MatchAsync(mechanism, domain, ev, ct).ConfigureAwait(false);
            if (outcome == Outcome.Abort) return ev.AbortResult;
            if (outcome == Outcome.NoMatch) continue;

            var result = mechanism.MatchResult;
            ev.MatchedTerm = mechanism.Text;
            ev.Reason = $"{mechanism.Text} in the record of {domain} matched {ev.Ip}: {result}";
            ev.Step($"{mechanism.Text} matches: {result}");
            if (result == SpfResult.Fail && explanationAllowed && record.Explanation != null)
            {
                ev.Context.Domain = domain;
                await ExplainAsync(record.Explanation, ev, ct).ConfigureAwait(false);
            }
            return result;
        }

        if (record.Redirect != null && record.All == null)
        {
            var redirect = record.Redirect;
            if (!CountLookup(redirect, ev)) return SpfResult.PermError;
            ev.Context.Domain = domain;
            if (!ExpandTarget(redirect.Value, redirect, ev, await NeedsValidatedNameAsync(redirect.Value, domain, ev, ct).ConfigureAwait(false), out var target))
                return SpfResult.PermError;
            ev.Step($"no mechanism matched; redirect={target}");
            if (!IsCheckableDomain(target, out var why))
            {
                ev.Reason = $"redirect={target} names no valid domain ({why}) (RFC 7208 §6.1)";
                ev.Step(ev.Reason);
                return SpfResult.PermError;
            }
            if (ev.Stack.Contains(target))
            {
                ev.Reason = $"redirect={target} leads back to {target}, which is already being evaluated: a loop (RFC 7208 §6.1)";
                ev.Step(ev.Reason);
                return SpfResult.PermError;
            }
            ev.Explanation = null;
            var result = await CheckDomainAsync(target, ev, explanationAllowed, ct).ConfigureAwait(false);
            if (result == SpfResult.None)
            {
                ev.Reason = $"redirect={target}: {target} has no SPF record (RFC 7208 §6.1)";
                ev.Step(ev.Reason);
                return SpfResult.PermError;
            }
            return result;
        }

        ev.MatchedTerm = null;
        ev.Reason = $"no mechanism in the record of {domain} matched {ev.Ip} and there is no redirect: Neutral (RFC 7208 §4.7)";
        ev.Step("no mechanism matched: Neutral");
        return SpfResult.Neutral;
    }

    private async Task<Outcome> MatchAsync(SpfMechanism m, string domain, Evaluation ev, CancellationToken ct)
    {
        switch (m.Kind)
        {
            case SpfMechanismKind.All:
                return Outcome.Match;

            case SpfMechanismKind.Ip4:
            case SpfMechanismKind.Ip6:
            {
                bool family = (m.Kind == SpfMechanismKind.Ip4) == (ev.Ip.AddressFamily == AddressFamily.InterNetwork);
                bool match = family && InNetwork(ev.IpBytes, m.Network.GetAddressBytes(), m.Kind == SpfMechanismKind.Ip4 ? m.EffectiveIp4Cidr : m.EffectiveIp6Cidr);
                if (!match) ev.Step($"{m.Text}: no match");
                return match ? Outcome.Match : Outcome.NoMatch;
            }
        }

        if (!CountLookup(m, ev)) return ev.Abort(SpfResult.PermError);
        string target = domain;
        if (m.DomainSpec != null)
        {
            bool p = await NeedsValidatedNameAsync(m.DomainSpec, domain, ev, ct).ConfigureAwait(false);
            if (!ExpandTarget(m.DomainSpec, m, ev, p, out target)) return ev.Abort(SpfResult.PermError);
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
                ev.Step($"{m.Text}: {target} exists");
                return Outcome.Match;
            }
        }
        return Outcome.NoMatch;
    }

    private async Task<Outcome> MatchIncludeAsync(SpfMechanism m, string target, Evaluation ev, CancellationToken ct)
    {
        if (!IsCheckableDomain(target, out var why))
        {
            ev.Reason = $"{m.Text} names no valid domain ({why}) (RFC 7208 §5.2)";
            ev.Step(ev.Reason);
            return ev.Abort(SpfResult.PermError);
        }
        if (ev.Stack.Contains(target))
        {
            ev.Reason = $"{m.Text} leads back to {target}, which is already being evaluated: an include loop (RFC 7208 §5.2)";
            ev.Step(ev.Reason);
            return ev.Abort(SpfResult.PermError);
        }
        ev.Step($"{m.Text}: evaluating {target}");
        var outer = ev.Context.Domain;
        var result = await CheckDomainAsync(target, ev, false, ct).ConfigureAwait(false);
        ev.Context.Domain = outer;
        switch (result)
        {
            case SpfResult.Pass:
                ev.Step($"{m.Text}: {target} passed");
                return Outcome.Match;
            case SpfResult.Fail:
            case SpfResult.SoftFail:
            case SpfResult.Neutral:
                ev.Step($"{m.Text}: {target} returned {result}, no match");
                ev.MatchedTerm = null;
                return Outcome.NoMatch;
            case SpfResult.TempError:
                ev.Reason = $"{m.Text}: {ev.Reason}";
                return ev.Abort(SpfResult.TempError);
            case SpfResult.None:
                ev.Reason = $"{m.Text}: {target} has no SPF record, which makes the including record a PermError (RFC 7208 §5.2)";
                ev.Step(ev.Reason);
                return ev.Abort(SpfResult.PermError);
            default:
                if (!ev.Reason.StartsWith(m.Text, StringComparison.Ordinal)) ev.Reason = $"{m.Text}: {ev.Reason}";
                return ev.Abort(SpfResult.PermError);
        }
    }

    private async Task<Outcome> MatchAddressesAsync(SpfMechanism m, string target, Evaluation ev, CancellationToken ct)
    {
        if (!IsQueryableName(target, m, ev, out var invalid)) return invalid;
        var answer = await _resolver.QueryAsync(target, ev.AddressType, ct).ConfigureAwait(false);
        if (answer.IsError) return DnsFailure(m, answer, ev);
        if (answer.Records.Count == 0) return Void(m, target, ev);
        if (AnyInNetwork(answer, m, ev))
        {
            ev.Step($"{m.Text}: {target} has {ev.Ip}");
            return Outcome.Match;
        }
        ev.Step($"{m.Text}: {target} ({answer.Records.Count} {ev.AddressType}) does not cover {ev.Ip}");
        return Outcome.NoMatch;
    }

    private async Task<Outcome> MatchMxAsync(SpfMechanism m, string target, Evaluation ev, CancellationToken ct)
    {
        if (!IsQueryableName(target, m, ev, out var invalid)) return invalid;
        var answer = await _resolver.QueryAsync(target, DnsRecordType.MX, ct).ConfigureAwait(false);
        if (answer.IsError) return DnsFailure(m, answer, ev);
        if (answer.Records.Count == 0) return Void(m, target, ev);
        if (answer.Records.Count > MaxNameLookups)
        {
            ev.Reason = $"{m.Text}: {target} has {answer.Records.Count} MX records; an mx mechanism may look up at most {MaxNameLookups} (RFC 7208 §4.6.4)";
            ev.Step(ev.Reason);
            return ev.Abort(SpfResult.PermError);
        }
        foreach (var mx in answer.Records)
        {
            if (string.IsNullOrEmpty(mx.Target)) continue;
            var addresses = await _resolver.QueryAsync(mx.Target, ev.AddressType, ct).ConfigureAwait(false);
            if (addresses.IsError) return DnsFailure(m, addresses, ev);
            if (AnyInNetwork(addresses, m, ev))
            {
                ev.Step($"{m.Text}: MX host {mx.Target} has {ev.Ip}");
                return Outcome.Match;
            }
        }
        ev.Step($"{m.Text}: none of the {answer.Records.Count} MX hosts of {target} covers {ev.Ip}");
        return Outcome.NoMatch;
    }

    private async Task<Outcome> MatchPtrAsync(SpfMechanism m, string target, Evaluation ev, CancellationToken ct)
    {
        var names = await ValidatedNamesAsync(ev, ct).ConfigureAwait(false);
        if (ev.PtrVoid)
        {
            var outcome = Void(m, MacroExpander.ReverseName(ev.Ip), ev);
            if (outcome == Outcome.Abort) return outcome;
        }
        foreach (var name in names)
        {
            if (DomainName.IsAtOrBelow(name, target))
            {
                ev.Step($"{m.Text}: validated name {name} is at or below {target}");
                return Outcome.Match;
            }
        }
        ev.Step($"{m.Text}: no validated name of {ev.Ip} is at or below {target}");
        return Outcome.NoMatch;
    }

    /// <summary>RFC 7208 §5.5: the PTR names of the client whose addresses include it (first 10 names only).</summary>
    private async Task<List<string>> ValidatedNamesAsync(Evaluation ev, CancellationToken ct)
    {
        if (ev.ValidatedNames != null) return ev.ValidatedNames;
        var names = new List<string>();
        var reverse = MacroExpander.ReverseName(ev.Ip);
        var answer = await _resolver.QueryAsync(reverse, DnsRecordType.PTR, ct).ConfigureAwait(false);
        if (answer.IsError) ev.Step($"PTR lookup failed ({answer.Describe()}): no validated name");
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

    private async Task<bool> NeedsValidatedNameAsync(string spec, string domain, Evaluation ev, CancellationToken ct)
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

    private static bool ExpandTarget(string spec, SpfTerm term, Evaluation ev, bool usedP, out string target)
    {
        if (!MacroExpander.TryExpand(spec, ev.Context, false, out var expanded, out var error))
        {
            target = null;
            ev.Reason = $"{term.Text}: {error} (RFC 7208 §7)";
            ev.Step(ev.Reason);
            ev.AbortResult = SpfResult.PermError;
            return false;
        }
        target = MacroExpander.TruncateDomain(expanded);
        if (!ReferenceEquals(expanded, spec)) ev.Step($"{term.Text}: expands to {target}{(usedP ? " (%{p} = " + ev.Context.ValidatedName + ")" : string.Empty)}");
        return true;
    }

    private static bool IsQueryableName(string target, SpfMechanism m, Evaluation ev, out Outcome outcome)
    {
        if (IsCheckableDomain(target, out var why))
        {
            outcome = Outcome.NoMatch;
            return true;
        }
        ev.Step($"{m.Text}: '{target}' cannot exist in the DNS ({why}): no match");
        outcome = Void(m, target, ev);
        return false;
    }

    private async Task ExplainAsync(SpfModifier exp, Evaluation ev, CancellationToken ct)
    {
        ev.Explanation = null;
        if (!MacroExpander.TryExpand(exp.Value, ev.Context, false, out var expanded, out var error))
        {
            ev.Step($"{exp.Text}: {error}; no explanation");
            return;
        }
        var target = MacroExpander.TruncateDomain(expanded);
        if (!IsCheckableDomain(target, out var why)) { ev.Step($"{exp.Text}: '{target}' is not a valid name ({why}); no explanation"); return; }
        var answer = await _resolver.QueryAsync(target, DnsRecordType.TXT, ct).ConfigureAwait(false);
        int count = 0;
        string text = null;
        foreach (var r in answer.Records) if (r.Type == DnsRecordType.TXT) { count++; text = r.JoinedText; }
        if (answer.IsError || count != 1)
        {
            ev.Step($"{exp.Text}: {(answer.IsError ? answer.Describe() : count + " TXT records at " + target)}; no explanation (RFC 7208 §6.2)");
            return;
        }
        if (text.IndexOf("%{p", StringComparison.OrdinalIgnoreCase) >= 0) await NeedsValidatedNameAsync(text, ev.Context.Domain, ev, ct).ConfigureAwait(false);
        if (!MacroExpander.TryExpand(text, ev.Context, true, out var explanation, out error))
        {
            ev.Step($"{exp.Text}: the explanation at {target} is invalid ({error}); no explanation");
            return;
        }
        ev.Explanation = explanation;
        ev.Step($"explanation: {explanation}");
    }

    private static bool CountLookup(SpfTerm term, Evaluation ev)
    {
        ev.Lookups++;
        if (ev.Lookups <= MaxDnsLookups) return true;
        ev.Reason = $"{term.Text} is DNS-querying term number {ev.Lookups}; SPF allows at most {MaxDnsLookups} (RFC 7208 §4.6.4)";
        ev.Step(ev.Reason);
        ev.AbortResult = SpfResult.PermError;
        return false;
    }

    private static Outcome Void(SpfMechanism m, string target, Evaluation ev)
    {
        ev.Voids++;
        if (ev.Voids > MaxVoidLookups)
        {
            ev.Reason = $"{m.Text}: {target} does not exist or has no records, void lookup number {ev.Voids}; SPF allows at most {MaxVoidLookups} (RFC 7208 §4.6.4)";
            ev.Step(ev.Reason);
            return ev.Abort(SpfResult.PermError);
        }
        ev.Step($"{m.Text}: {target} has no records (void lookup {ev.Voids}): no match");
        return Outcome.NoMatch;
    }

    private static Outcome DnsFailure(SpfMechanism m, DnsAnswer answer, Evaluation ev)
    {
        ev.Reason = $"{m.Text}: {answer.Describe()} (RFC 7208 §5)";
        ev.Step(ev.Reason);
        return ev.Abort(SpfResult.TempError);
    }

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

    private enum Outcome
    {
        NoMatch,
        Match,
        Abort,
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
        public List<string> Trace { get; } = new List<string>();
        public List<string> Stack { get; } = new List<string>();
        public string MatchedTerm;
        public string Explanation;
        public string Reason;
        public SpfResult AbortResult;
        public List<string> ValidatedNames;
        public bool PtrVoid;

        public void Step(string text) => Trace.Add(text);

        public Outcome Abort(SpfResult result)
        {
            AbortResult = result;
            return Outcome.Abort;
        }
    }
}
