using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Arc;

/// <summary>
/// Validates a message's ARC chain (RFC 8617 §5.2) with MailAuth's DKIM engine: the chain's structure (instances 1..N,
/// one set each, cv= values), every ARC-Message-Signature as a DKIM signature (§5.1.2), and every ARC-Seal over the ARC
/// header fields of its instance and those before it (§5.1.1), with the same canonicalization, keys and key cache as
/// <see cref="DkimSignatureVerifier"/>.
/// </summary>
public sealed class ArcChainVerifier
{
    /// <summary>The most ARC sets a chain may have (RFC 8617 §4.2.1).</summary>
    public const int MaxInstances = 50;

    private const string SealName = "ARC-Seal", SignatureName = "ARC-Message-Signature", ResultsName = "ARC-Authentication-Results";

    private readonly IDnsResolver _resolver;
    private readonly DkimSignatureVerifier _dkim;

    public ArcChainVerifier(IDnsResolver resolver) : this(resolver, null) { }

    /// <summary>A verifier whose ARC-Message-Signature expiry checks (x=) read <paramref name="clock"/>; null is the system clock.</summary>
    public ArcChainVerifier(IDnsResolver resolver, Func<DateTimeOffset> clock) : this(resolver, clock, null) { }

    /// <param name="resolver">Where keys are looked up.</param>
    /// <param name="clock">The time to judge x= against; the system clock when null.</param>
    /// <param name="keyCache">Parsed and imported keys to reuse between messages (shared with a <see cref="DkimSignatureVerifier"/>); one of its own when null.</param>
    public ArcChainVerifier(IDnsResolver resolver, Func<DateTimeOffset> clock, DkimKeyCache keyCache)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _dkim = new DkimSignatureVerifier(resolver, clock, keyCache);
    }

    /// <summary>The keys this verifier reuses between messages.</summary>
    public DkimKeyCache KeyCache => _dkim.KeyCache;

    /// <summary>Validates the ARC chain of the raw message in <paramref name="message"/>; <paramref name="source"/> names it in the result.</summary>
    public async Task<ArcChainResult> VerifyAsync(Stream message, string source = null, CancellationToken cancellationToken = default)
    {
        if (message == null) throw new ArgumentNullException(nameof(message));
        var parsed = await DkimMessage.ReadAsync(message, cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(parsed, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates the ARC chain of a message already parsed (the DKIM verifier's parse, shared).</summary>
    internal async Task<ArcChainResult> VerifyAsync(DkimMessage parsed, string source, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var seals = Instances(parsed, SealName, problems);
        var signatures = Instances(parsed, SignatureName, problems);
        var results = Instances(parsed, ResultsName, problems);
        if (seals.Count == 0 && signatures.Count == 0 && results.Count == 0 && problems.Count == 0)
            return new ArcChainResult(source, ArcChainValidation.None, null, null, null);

        string structure = problems.FirstOrDefault() ?? CheckStructure(seals, signatures, results, out _);
        int count = new[] { seals, signatures, results }.SelectMany(m => m.Keys).DefaultIfEmpty(0).Max();

        var sealList = new Dictionary<int, ArcSeal>();
        foreach (var pair in seals)
            if (pair.Value.Count == 1) sealList[pair.Key] = ArcSeal.Parse(pair.Value[0]);
        var amsList = new Dictionary<int, DkimSignature>();
        foreach (var pair in signatures)
            if (pair.Value.Count == 1) amsList[pair.Key] = DkimSignature.Parse(pair.Value[0], arcMessageSignature: true);
        structure = structure ?? SignedArcField(amsList);

        // Every key the chain needs, asked at once; a failed lookup makes the result a temporary error, not a broken chain.
        var keys = _dkim.StartKeyFetches(amsList.Values.Where(a => a.Error == null), cancellationToken);
        foreach (var seal in sealList.Values.Where(s => s.Error == null)) keys.Start(_resolver, seal.Selector, seal.Domain, cancellationToken);
        var failedKey = (await keys.AllAsync().ConfigureAwait(false)).FirstOrDefault(a => a.IsError);
        string keyFailure = failedKey == null ? null : $"the key {failedKey.QueryName} could not be fetched: {failedKey.Describe()}";

        // RFC 8617 §5.1.2: each ARC-Message-Signature is a DKIM signature over the message as it is now.
        var amsResults = new Dictionary<int, DkimSignatureResult>();
        var sealResults = new Dictionary<int, (bool Valid, string Reason)>();
        if (keyFailure == null)
        {
            foreach (var pair in amsList)
            {
                var fetch = pair.Value.Error == null ? await keys.GetAsync(pair.Value).ConfigureAwait(false) : default;
                amsResults[pair.Key] = _dkim.VerifySignature(parsed, pair.Value, fetch, pair.Key);
            }
            if (structure == null)
                foreach (var pair in sealList)
                    sealResults[pair.Key] = await VerifySealAsync(pair.Value, pair.Key, seals, signatures, results, keys).ConfigureAwait(false);
        }

        var sets = new List<ArcSetResult>();
        for (int i = 1; i <= Math.Min(count, MaxInstances); i++)
        {
            sealList.TryGetValue(i, out var seal);
            amsResults.TryGetValue(i, out var ams);
            amsList.TryGetValue(i, out var amsSignature);
            bool? sealValid = sealResults.TryGetValue(i, out var sealResult) ? sealResult.Valid : (bool?)null;
            results.TryGetValue(i, out var aar);
            sets.Add(new ArcSetResult(i, seal?.ChainValidation, seal?.Domain, seal?.Selector, sealValid,
                ams?.Domain ?? amsSignature?.Domain, ams?.Selector ?? amsSignature?.Selector, ams == null ? (bool?)null : ams.Result == DkimResult.Pass,
                ams?.Result == DkimResult.Pass ? null : ams?.Reason, aar != null && aar.Count == 1 ? aar[0].Value.Trim() : null));
        }

        if (keyFailure != null)
            return new ArcChainResult(source, ArcChainValidation.TempError, sets, null, keyFailure);
        if (structure != null)
            return new ArcChainResult(source, ArcChainValidation.Fail, sets, null, structure);
        if (sets[count - 1].ChainValidation == "fail")
            return new ArcChainResult(source, ArcChainValidation.Fail, sets, null, $"the latest sealer (i={count}) found the chain broken (cv=fail)");
        var latest = amsResults[count];
        if (latest.Result != DkimResult.Pass)
            return new ArcChainResult(source, ArcChainValidation.Fail, sets, null, $"the latest ARC-Message-Signature (i={count}) does not verify: {latest.Reason}");
        for (int i = count; i >= 1; i--)
        {
            if (!sealResults[i].Valid)
                return new ArcChainResult(source, ArcChainValidation.Fail, sets, null, $"the ARC-Seal of instance {i} does not verify: {sealResults[i].Reason}");
        }

        // RFC 8617 §5.2 step 6: walk back while the older AMS still verify.
        int oldestPass = 0;
        for (int i = count - 1; i >= 1; i--)
        {
            if (amsResults[i].Result != DkimResult.Pass)
            {
                oldestPass = i + 1;
                break;
            }
        }
        return new ArcChainResult(source, ArcChainValidation.Pass, sets, oldestPass, null);
    }

    /// <summary>
    /// RFC 8617 §5.1.1: the ARC-Seal of instance <paramref name="instance"/> signs, with relaxed header canonicalization, the ARC
    /// sets 1 to <paramref name="instance"/> in order (each as ARC-Authentication-Results, ARC-Message-Signature, ARC-Seal), its own
    /// b= value left out and no CRLF after it.
    /// </summary>
    private async Task<(bool Valid, string Reason)> VerifySealAsync(ArcSeal seal, int instance, Dictionary<int, List<DkimHeaderField>> seals,
        Dictionary<int, List<DkimHeaderField>> signatures, Dictionary<int, List<DkimHeaderField>> results, KeyFetches keys)
    {
        if (seal.Error != null) return (false, seal.Error);
        var fetch = await keys.GetAsync(seal.Selector, seal.Domain).ConfigureAwait(false);
        var problem = DkimSignatureVerifier.KeyProblem(fetch, seal.Kind.KeyType, seal.Algorithm, seal.Kind.HashName);
        if (problem != null) return (false, problem.Value.Reason);

        var cache = _dkim.KeyCache;
        var writer = cache.RentWriter(seal.Kind.Hash);
        try
        {
            for (int i = 1; i <= instance; i++)
            {
                DkimCanonicalization.Header(results[i][0], relaxed: true, writer);
                DkimCanonicalization.Header(signatures[i][0], relaxed: true, writer);
                if (i < instance) DkimCanonicalization.Header(seals[i][0], relaxed: true, writer);
            }
            DkimCanonicalization.Header(seal.Field, relaxed: true, writer, withCrLf: false, holeStart: seal.SignatureValueStart, holeEnd: seal.SignatureValueEnd);
            bool valid = fetch.Key.PublicKey.VerifyHash(writer.Finish(), seal.SignatureBytes, DkimSignatureVerifier.HashName(seal.Kind.Hash), cache);
            if (!valid) return (false, "the seal's signature (b=) does not verify: an ARC header field changed, or the key does not match");
            if (seal.Kind.Hash == DkimHashAlgorithm.Sha1) return (false, "sha1: rsa-sha1 signatures are not acceptable (RFC 8301 §3.1)");
            return (true, null);
        }
        finally { cache.ReturnWriter(writer); }
    }

    /// <summary>RFC 8617 §4.1.2: an ARC-Message-Signature must not sign ARC header fields; the first that does, or null.</summary>
    private static string SignedArcField(Dictionary<int, DkimSignature> signatures)
    {
        foreach (var pair in signatures.OrderBy(p => p.Key))
            if (pair.Value.SignedArcField != null)
                return $"the ARC-Message-Signature of instance {pair.Key} is invalid: h= covers {pair.Value.SignedArcField}, which RFC 8617 §4.1.2 forbids";
        return null;
    }

    /// <summary>RFC 8617 §5.2 steps 2-3: instances 1..N, exactly one header of each kind per instance, cv=none only at i=1.</summary>
    private static string CheckStructure(Dictionary<int, List<DkimHeaderField>> seals, Dictionary<int, List<DkimHeaderField>> signatures,
        Dictionary<int, List<DkimHeaderField>> results, out int count)
    {
        var all = seals.Keys.Concat(signatures.Keys).Concat(results.Keys).ToList();
        count = all.Count == 0 ? 0 : all.Max();
        if (all.Any(i => i < 1)) return $"an ARC header field has no valid i= instance (1 to {MaxInstances})";
        if (count > MaxInstances) return $"the chain has {count} instances, more than the {MaxInstances} RFC 8617 §4.2.1 allows";
        for (int i = 1; i <= count; i++)
        {
            foreach (var (name, map) in new[] { (SealName, seals), (SignatureName, signatures), (ResultsName, results) })
            {
                if (!map.TryGetValue(i, out var list)) return $"instance {i} has no {name}";
                if (list.Count > 1) return $"instance {i} has {list.Count} {name} header fields";
            }
            if (!DkimTagList.TryParse(seals[i][0].Value, out var tags, out var error)) return $"the ARC-Seal of instance {i} is malformed: {error}";
            var cv = tags["cv"]?.Trim().ToLowerInvariant();
            if (i == 1 && cv != "none") return $"the first ARC-Seal must say cv=none, it says cv={cv}";
            if (i > 1 && cv == "none") return $"the ARC-Seal of instance {i} says cv=none; only instance 1 may";
            if (cv != "none" && cv != "pass" && cv != "fail") return $"the ARC-Seal of instance {i} has no valid cv= (none, pass, fail)";
        }
        return null;
    }

    /// <summary>The fields called <paramref name="name"/> by instance; a field without a readable instance is a problem that names it.</summary>
    private static Dictionary<int, List<DkimHeaderField>> Instances(DkimMessage message, string name, List<string> problems)
    {
        var map = new Dictionary<int, List<DkimHeaderField>>();
        foreach (var field in message.Fields)
        {
            if (!field.Is(name)) continue;
            int instance = name == ResultsName ? LeadingInstance(field.Value) : TagInstance(field.Value);
            if (instance == 0)
            {
                problems.Add(name == ResultsName
                    ? $"the ARC-Authentication-Results field \"{DkimTagList.Shorten(field.Value.Trim())}\" does not begin with its instance tag i=1 to i={MaxInstances} (RFC 8617 §4.1.1)"
                    : $"the {name} field \"{DkimTagList.Shorten(field.Value.Trim())}\" has no valid i= instance (1 to {MaxInstances})");
                continue;
            }
            if (!map.TryGetValue(instance, out var list)) map[instance] = list = new List<DkimHeaderField>();
            list.Add(field);
        }
        return map;
    }

    /// <summary>RFC 8617 §4.1.1: an ARC-Authentication-Results value starts with "i=N;" (CFWS allowed around it); 0 when it does not.</summary>
    private static int LeadingInstance(string value)
    {
        var semicolon = value.IndexOf(';');
        if (semicolon < 0) return 0;
        var spec = value.Substring(0, semicolon).Trim(TrimChars.FoldingWhitespace);
        if (!spec.StartsWith("i", StringComparison.Ordinal)) return 0;
        var rest = spec.Substring(1).TrimStart(TrimChars.FoldingWhitespace);
        if (!rest.StartsWith("=", StringComparison.Ordinal)) return 0;
        return ParseInstance(rest.Substring(1).Trim(TrimChars.FoldingWhitespace));
    }

    /// <summary>The i= tag of an ARC-Seal or ARC-Message-Signature tag list; 0 when absent or invalid.</summary>
    private static int TagInstance(string value)
    {
        foreach (var part in value.Split(';'))
        {
            var spec = part.Trim(TrimChars.FoldingWhitespace);
            if (!spec.StartsWith("i", StringComparison.Ordinal)) continue;
            var rest = spec.Substring(1).TrimStart(TrimChars.FoldingWhitespace);
            if (!rest.StartsWith("=", StringComparison.Ordinal)) continue;
            return ParseInstance(rest.Substring(1).Trim(TrimChars.FoldingWhitespace));
        }
        return 0;
    }

    private static int ParseInstance(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 1 && i <= 1000 ? i : 0;
}
