using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MimeKit;
using MimeKit.Cryptography;

namespace MailAuth.Dkim;

/// <summary>
/// Validates a message's ARC chain (RFC 8617 §5.2). The chain's structure (instances 1..N, one set each,
/// cv= values) is checked here; the ARC-Seals by MimeKit's ArcVerifier with keys from our
/// <see cref="IDnsResolver"/>; every ARC-Message-Signature by our DKIM verifier, which gives oldest-pass.
/// </summary>
public sealed class ArcChainVerifier
{
    private readonly IDnsResolver _resolver;
    private readonly Func<DateTimeOffset> _clock;

    public ArcChainVerifier(IDnsResolver resolver) : this(resolver, null) { }

    /// <summary>A verifier whose ARC-Message-Signature expiry checks (x=) read <paramref name="clock"/>; null is the system clock.</summary>
    public ArcChainVerifier(IDnsResolver resolver, Func<DateTimeOffset> clock)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _clock = clock;
    }

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
        var seals = Instances(parsed, "ARC-Seal");
        var signatures = Instances(parsed, "ARC-Message-Signature");
        var results = Instances(parsed, "ARC-Authentication-Results");
        if (seals.Count == 0 && signatures.Count == 0 && results.Count == 0)
            return new ArcChainResult(source, ArcChainValidation.None, null, null, null);

        string structure = CheckStructure(seals, signatures, results, out int count);

        // Every key the chain needs; a failed lookup makes the result a temporary error, not a broken chain.
        var sealTags = new Dictionary<int, DkimTagList>();
        foreach (var pair in seals)
            if (pair.Value.Count == 1 && DkimTagList.TryParse(pair.Value[0].Value, out var tags, out _)) sealTags[pair.Key] = tags;
        var amsList = new Dictionary<int, DkimSignature>();
        foreach (var pair in signatures)
            if (pair.Value.Count == 1) amsList[pair.Key] = DkimSignature.Parse(pair.Value[0], arcMessageSignature: true);
        var keyNames = sealTags.Values.Where(t => t["s"] != null && t["d"] != null).Select(t => (s: t["s"].Trim(), d: t["d"].Trim()))
            .Concat(amsList.Values.Where(a => a.Error == null).Select(a => (s: a.Selector, d: a.Domain))).Distinct();
        string keyFailure = null;
        foreach (var (s, d) in keyNames)
        {
            var answer = await DkimKeyLookup.QueryAsync(_resolver, s, d, cancellationToken).ConfigureAwait(false);
            if (answer.IsError)
            {
                keyFailure = $"the key {answer.QueryName} could not be fetched: {answer.Describe()}";
                break;
            }
        }

        // AMS of every instance, with our verifier.
        var dkim = new DkimSignatureVerifier(_resolver, _clock);
        var amsResults = new Dictionary<int, DkimSignatureResult>();
        foreach (var pair in keyFailure == null ? amsList : new Dictionary<int, DkimSignature>())
            amsResults[pair.Key] = await dkim.VerifySignatureAsync(parsed, pair.Value, pair.Key, cancellationToken).ConfigureAwait(false);

        // The seals and the chain, with MimeKit.
        ArcValidationResult mimekit = null;
        string mimekitError = null;
        if (keyFailure == null)
        try
        {
            var mime = await MimeMessage.LoadAsync(new MemoryStream(parsed.Data, false), cancellationToken).ConfigureAwait(false);
            mimekit = await new ArcVerifier(new ResolverPublicKeyLocator(_resolver)).VerifyAsync(mime, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { throw; }
        catch (Exception ex)
        {
            mimekitError = ex.Message;
        }

        var sets = new List<ArcSetResult>();
        for (int i = 1; i <= Math.Max(count, seals.Keys.Concat(signatures.Keys).DefaultIfEmpty(0).Max()); i++)
        {
            sealTags.TryGetValue(i, out var seal);
            amsResults.TryGetValue(i, out var ams);
            bool? sealValid = null;
            if (mimekit?.Seals != null && i - 1 < mimekit.Seals.Length && mimekit.Seals[i - 1] != null)
                sealValid = mimekit.Seals[i - 1].Signature == ArcSignatureValidationResult.Pass;
            results.TryGetValue(i, out var aar);
            sets.Add(new ArcSetResult(i, seal?["cv"]?.Trim().ToLowerInvariant(), seal?["d"]?.Trim().ToLowerInvariant(), seal?["s"]?.Trim(), sealValid,
                ams?.Domain, ams?.Selector, ams == null ? (bool?)null : ams.Result == DkimResult.Pass, ams?.Result == DkimResult.Pass ? null : ams?.Reason,
                aar != null && aar.Count == 1 ? aar[0].Value.Trim() : null));
        }

        if (keyFailure != null)
            return new ArcChainResult(source, ArcChainValidation.TempError, sets, null, keyFailure);
        if (structure != null)
            return new ArcChainResult(source, ArcChainValidation.Fail, sets, null, structure);
        if (sets[count - 1].ChainValidation == "fail")
            return new ArcChainResult(source, ArcChainValidation.Fail, sets, null, $"the latest sealer (i={count}) found the chain broken (cv=fail)");
        if (mimekit == null)
            return new ArcChainResult(source, ArcChainValidation.Fail, sets, null, "the ARC headers could not be validated: " + mimekitError);
        var latest = amsResults[count];
        if (latest.Result != DkimResult.Pass)
            return new ArcChainResult(source, ArcChainValidation.Fail, sets, null, $"the latest ARC-Message-Signature (i={count}) does not verify: {latest.Reason}");
        var badSeal = sets.FirstOrDefault(s => s.SealValid != true);
        if (badSeal != null || mimekit.Chain != ArcSignatureValidationResult.Pass)
            return new ArcChainResult(source, ArcChainValidation.Fail, sets, null,
                badSeal != null ? $"the ARC-Seal of instance {badSeal.Instance} does not verify" : "MimeKit's ArcVerifier finds the chain invalid: " + mimekit.ChainErrors.ToString());

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

    /// <summary>RFC 8617 §5.2 steps 2-3: instances 1..N, exactly one header of each kind per instance, cv=none only at i=1.</summary>
    private static string CheckStructure(Dictionary<int, List<DkimHeaderField>> seals, Dictionary<int, List<DkimHeaderField>> signatures,
        Dictionary<int, List<DkimHeaderField>> results, out int count)
    {
        var all = seals.Keys.Concat(signatures.Keys).Concat(results.Keys).ToList();
        count = all.Count == 0 ? 0 : all.Max();
        if (all.Any(i => i < 1)) { count = Math.Max(count, 0); return "an ARC header field has no valid i= instance (1 to 50)"; }
        if (count > 50) return $"the chain has {count} instances, more than the 50 RFC 8617 §4.2.1 allows";
        for (int i = 1; i <= count; i++)
        {
            foreach (var (name, map) in new[] { ("ARC-Seal", seals), ("ARC-Message-Signature", signatures), ("ARC-Authentication-Results", results) })
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

    private static Dictionary<int, List<DkimHeaderField>> Instances(DkimMessage message, string name)
    {
        var map = new Dictionary<int, List<DkimHeaderField>>();
        foreach (var field in message.Fields.Where(f => f.Is(name)))
        {
            int instance = InstanceOf(field.Value);
            if (!map.TryGetValue(instance, out var list)) map[instance] = list = new List<DkimHeaderField>();
            list.Add(field);
        }
        return map;
    }

    /// <summary>i= of an ARC header field (for ARC-Authentication-Results, the leading "i=N;"); 0 when absent or invalid.</summary>
    private static int InstanceOf(string value)
    {
        foreach (var part in value.Split(';'))
        {
            var spec = part.Trim(' ', '\t', '\r', '\n');
            if (!spec.StartsWith("i", StringComparison.Ordinal)) continue;
            var rest = spec.Substring(1).TrimStart(' ', '\t', '\r', '\n');
            if (!rest.StartsWith("=", StringComparison.Ordinal)) continue;
            return int.TryParse(rest.Substring(1).Trim(' ', '\t', '\r', '\n'), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 1 && i <= 1000 ? i : 0;
        }
        return 0;
    }
}
