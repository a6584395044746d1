using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Dkim;

/// <summary>
/// Verifies every DKIM-Signature of a message as a receiver does (RFC 6376 §6; rsa-sha256, rsa-sha1
/// and ed25519-sha256 of RFC 8463), fetching keys through our <see cref="IDnsResolver"/>. The body
/// hash and the header signature are checked and reported separately. Malformed messages and
/// signatures give a PermError with a reason; only cancellation throws.
/// </summary>
public sealed class DkimSignatureVerifier
{
    /// <summary>RSA keys shorter than this are refused (RFC 8301 §3.2).</summary>
    public const int MinimumRsaKeyBits = 1024;

    /// <summary>
    /// The DKIM-Signatures verified per message unless the constructor says otherwise; RFC 6376 §6.1 lets a verifier limit
    /// how many it checks. Those beyond it are reported as <see cref="DkimResult.Neutral"/>, not checked.
    /// </summary>
    public const int DefaultMaxSignatures = 10;

    private readonly IDnsResolver _resolver;
    private readonly Func<DateTimeOffset> _clock;

    public DkimSignatureVerifier(IDnsResolver resolver) : this(resolver, null) { }

    /// <param name="resolver">Where keys are looked up.</param>
    /// <param name="clock">The time to judge x= (expiration) against; the system clock when null.</param>
    public DkimSignatureVerifier(IDnsResolver resolver, Func<DateTimeOffset> clock) : this(resolver, clock, null) { }

    /// <param name="resolver">Where keys are looked up.</param>
    /// <param name="clock">The time to judge x= (expiration) against; the system clock when null.</param>
    /// <param name="keyCache">Parsed and imported keys to reuse between messages; a verifier of its own when null.</param>
    /// <param name="maxSignatures">The most DKIM-Signatures verified per message (1 or more).</param>
    public DkimSignatureVerifier(IDnsResolver resolver, Func<DateTimeOffset> clock, DkimKeyCache keyCache, int maxSignatures = DefaultMaxSignatures)
    {
        if (maxSignatures < 1) throw new ArgumentOutOfRangeException(nameof(maxSignatures), maxSignatures, "At least one signature must be verified.");
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        KeyCache = keyCache ?? new DkimKeyCache();
        MaxSignatures = maxSignatures;
    }

    /// <summary>The keys this verifier reuses between messages.</summary>
    public DkimKeyCache KeyCache { get; }

    /// <summary>The most DKIM-Signatures verified per message; the rest are reported as not checked.</summary>
    public int MaxSignatures { get; }

    /// <summary>
    /// Verifies the message read from <paramref name="message"/> (the raw RFC 5322 message). Returns one
    /// result per DKIM-Signature, top to bottom; a message with none gets one result with <see cref="DkimResult.None"/>.
    /// </summary>
    public Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(Stream message, CancellationToken cancellationToken = default) =>
        VerifyAsync(message, null, cancellationToken);

    /// <summary>Verifies a message and marks each result with <paramref name="source"/> (e.g. the file it came from).</summary>
    public async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(Stream message, string source, CancellationToken cancellationToken = default)
    {
        if (message == null) throw new ArgumentNullException(nameof(message));
        var parsed = await DkimMessage.ReadAsync(message, cancellationToken).ConfigureAwait(false);
        var results = await VerifyAsync(parsed, cancellationToken).ConfigureAwait(false);
        if (source != null)
            foreach (var r in results) r.WithSource(source);
        return results;
    }

    /// <summary>Verifies a message held in memory.</summary>
    public Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(byte[] message, CancellationToken cancellationToken = default)
    {
        if (message == null) throw new ArgumentNullException(nameof(message));
        return VerifyAsync(DkimMessage.Parse(message), cancellationToken);
    }

    /// <summary>
    /// RFC 6376 §6.1: the first <see cref="MaxSignatures"/> signatures, top to bottom, are verified, their keys fetched at once;
    /// the rest are reported as not checked.
    /// </summary>
    internal async Task<IReadOnlyList<DkimSignatureResult>> VerifyAsync(DkimMessage message, CancellationToken cancellationToken)
    {
        var signatureFields = new List<DkimHeaderField>(1);
        int fromCount = 0;
        foreach (var field in message.Fields)
        {
            if (field.Is("DKIM-Signature")) signatureFields.Add(field);
            else if (field.Is("From")) fromCount++;
        }
        if (signatureFields.Count == 0)
            return new[] { new DkimSignatureResult(null, DkimResult.None, "the message has no DKIM-Signature", null, null, null, null, false, null, null, 0) };

        string messageProblem = message.HeaderProblem;
        if (messageProblem == null && fromCount == 0) messageProblem = "the message has no From header field, which DKIM must sign (RFC 5322 §3.6)";
        if (messageProblem == null && fromCount > 1) messageProblem = $"the message has {fromCount} From header fields; RFC 5322 §3.6 allows one";

        int checkedCount = Math.Min(signatureFields.Count, MaxSignatures);
        var signatures = new DkimSignature[checkedCount];
        for (int index = 0; index < checkedCount; index++) signatures[index] = DkimSignature.Parse(signatureFields[index]);
        var keys = messageProblem == null ? StartKeyFetches(signatures.Where(s => s.Error == null), cancellationToken) : null;

        var results = new List<DkimSignatureResult>(signatureFields.Count);
        for (int index = 0; index < checkedCount; index++)
        {
            var signature = signatures[index];
            if (signature.Error != null)
                results.Add(new DkimSignatureResult(signature, DkimResult.PermError, signature.Error, null, null, null, null, false, null, null, index));
            else if (messageProblem != null)
                results.Add(new DkimSignatureResult(signature, DkimResult.PermError, messageProblem, null, null, null, null, false, null, null, index));
            else
                results.Add(VerifySignature(message, signature, await keys.GetAsync(signature).ConfigureAwait(false), index));
        }
        for (int index = checkedCount; index < signatureFields.Count; index++)
        {
            results.Add(new DkimSignatureResult(DkimSignature.Parse(signatureFields[index]), DkimResult.Neutral,
                $"not checked: the message has {signatureFields.Count} DKIM-Signatures and this verifier checks the first {MaxSignatures} (RFC 6376 §6.1)",
                null, null, null, null, false, null, null, index));
        }
        return results;
    }

    /// <summary>Starts the key queries of <paramref name="signatures"/>, each key name once, all at the same time.</summary>
    internal KeyFetches StartKeyFetches(IEnumerable<DkimSignature> signatures, CancellationToken cancellationToken)
    {
        var fetches = new KeyFetches(KeyCache);
        foreach (var signature in signatures) fetches.Start(_resolver, signature.Selector, signature.Domain, cancellationToken);
        return fetches;
    }

    /// <summary>Verifies one signature (a DKIM-Signature or an ARC-Message-Signature) of a parsed message with its fetched key.</summary>
    internal DkimSignatureResult VerifySignature(DkimMessage message, DkimSignature signature, KeyFetch fetch, int index)
    {
        if (signature.Error != null)
            return new DkimSignatureResult(signature, DkimResult.PermError, signature.Error, null, null, null, null, false, null, null, index);
        List<string> warnings = null; // made on the first warning: most verifications have none
        bool? bodyMatches = null;
        bool? signatureMatches = null;

        // The body hash first (RFC 6376 §6.1.3 step 1); it needs no key, so it is reported even when the key is missing.
        {
            var (bodyHash, canonicalLength) = message.HashBody(signature.RelaxedBody, signature.Hash, signature.BodyLength, KeyCache);
            bodyMatches = SameBytes(bodyHash, signature.BodyHashBytes);
            if (signature.BodyLength.HasValue)
            {
                if (signature.BodyLength.Value > canonicalLength)
                    return Result(DkimResult.PermError, $"l={signature.BodyLength} is longer than the canonicalized body ({canonicalLength} octets)");
                if (signature.BodyLength.Value < canonicalLength)
                    (warnings = warnings ?? new List<string>()).Add($"l= signs only {signature.BodyLength} of {canonicalLength} body octets; content can be appended without breaking the signature (RFC 6376 §8.2)");
            }
        }

        DkimSignatureResult Result(DkimResult result, string reason, DkimKeyRecord key = null)
        {
            string all = warnings == null ? reason : string.Join("; ", reason == null ? warnings : new[] { reason }.Concat(warnings));
            return new DkimSignatureResult(signature, result, all, bodyMatches, signatureMatches,
                key?.PublicKey?.KeyType ?? key?.KeyType, key?.KeySize, key?.Testing ?? false, key?.Text, warnings?.ToArray(), index);
        }

        var record = fetch.Key;
        var problem = KeyProblem(fetch, signature.KeyType, signature.Algorithm, signature.HashName);
        if (problem != null) return Result(problem.Value.Result, problem.Value.Reason, record);
        var keyName = fetch.Answer.QueryName;
        if (record.StrictIdentity && !string.Equals(signature.IdentityDomain, signature.Domain, StringComparison.OrdinalIgnoreCase))
            return Result(DkimResult.PermError, $"the key at {keyName} has t=s but i= is in a subdomain of d={signature.Domain}", record);
        if (record.Testing)
            (warnings = warnings ?? new List<string>()).Add("t=y: the key is in testing mode; receivers treat the message as unsigned (RFC 6376 §3.6.1)");
        if (record.KeyType == "rsa" && record.KeySize < 2048)
            (warnings = warnings ?? new List<string>()).Add($"weak key: the RSA key has {record.KeySize} bits; 2048 is recommended (RFC 8301 §3.2)");

        var headerWriter = KeyCache.RentWriter(signature.Hash);
        try
        {
            HeaderHash(message, signature, headerWriter);
            signatureMatches = record.PublicKey.VerifyHash(headerWriter.Finish(), signature.SignatureBytes, HashName(signature.Hash), KeyCache);
        }
        finally { KeyCache.ReturnWriter(headerWriter); }

        if (signature.Expiration.HasValue && signature.Expiration.Value < _clock())
            return Result(DkimResult.PermError, $"the signature expired at {signature.Expiration.Value:u} (x=)", record);
        if (bodyMatches == false)
            return Result(DkimResult.Fail, "body hash mismatch: the body changed after signing" + (signatureMatches == true ? "" : ", and the header signature does not verify"), record);
        if (signatureMatches != true)
            return Result(DkimResult.Fail, "the header signature (b=) does not verify: a signed header field changed, or the key does not match", record);
        if (signature.Hash == DkimHashAlgorithm.Sha1)
            return Result(DkimResult.Fail, "sha1: rsa-sha1 signatures are not acceptable (RFC 8301 §3.1); the signature itself verifies", record);
        return Result(DkimResult.Pass, null, record);
    }

    internal static HashAlgorithmName HashName(DkimHashAlgorithm hash) => hash == DkimHashAlgorithm.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;

    /// <summary>
    /// Why the fetched key cannot check a signature of key type <paramref name="keyType"/> and hash <paramref name="hashName"/>
    /// (RFC 6376 §6.1.2, RFC 8301 §3.2), or null when it can: used for DKIM-Signatures and ARC header fields alike.
    /// </summary>
    internal static (DkimResult Result, string Reason)? KeyProblem(KeyFetch fetch, string keyType, string algorithm, string hashName)
    {
        var answer = fetch.Answer;
        var keyName = answer.QueryName;
        if (answer.IsError)
            return (DkimResult.TempError, $"the key {keyName} could not be fetched: {answer.Describe()}");
        var record = fetch.Key;
        if (record == null)
            return (DkimResult.PermError, $"no key record at {keyName} ({(answer.Status == DnsResponseStatus.NxDomain ? "NXDOMAIN" : "no TXT record")})");
        if (!record.LooksLikeKey || record.Error != null)
            return (DkimResult.PermError, $"the key record at {keyName} is malformed: {record.Error ?? "no p= tag"}");
        if (record.Revoked)
            return (DkimResult.PermError, $"the key at {keyName} is revoked (empty p=)");
        if (record.KeyType != keyType)
            return (DkimResult.PermError, $"the key at {keyName} is k={record.KeyType} but the signature uses a={algorithm}");
        if (record.KeyError != null)
            return (DkimResult.PermError, $"the key at {keyName} cannot be decoded: {record.KeyError}");
        if (record.HashAlgorithms.Count > 0 && !record.HashAlgorithms.Contains(hashName))
            return (DkimResult.PermError, $"the key at {keyName} allows h={string.Join(":", record.HashAlgorithms)}, not {hashName}");
        if (record.ServiceTypes.Count > 0 && !record.ServiceTypes.Contains("*") && !record.ServiceTypes.Contains("email"))
            return (DkimResult.PermError, $"the key at {keyName} is not for email (s={string.Join(":", record.ServiceTypes)})");
        if (record.KeyType == "rsa" && record.KeySize < MinimumRsaKeyBits)
            return (DkimResult.PermError, $"weak key: the RSA key at {keyName} has {record.KeySize} bits, fewer than {MinimumRsaKeyBits} (RFC 8301 §3.2)");
        return null;
    }

    /// <summary>
    /// Writes the data the header signature covers (RFC 6376 §3.7, §5.4.2) to <paramref name="writer"/>: the fields named
    /// in h=, each taken from the bottom up and used once, canonicalized, then the DKIM-Signature itself with b='s value
    /// left out and no final CRLF.
    /// </summary>
    internal static void HeaderHash(DkimMessage message, DkimSignature signature, DkimHashWriter writer)
    {
        var fields = message.Fields;
        Span<bool> used = fields.Count <= 256 ? stackalloc bool[fields.Count] : new bool[fields.Count];
        foreach (var name in signature.SignedHeaders)
        {
            for (int i = fields.Count - 1; i >= 0; i--)
            {
                if (used[i] || !fields[i].Is(name)) continue;
                used[i] = true;
                DkimCanonicalization.Header(fields[i], signature.RelaxedHeader, writer);
                break;
            }
        }
        DkimCanonicalization.Header(signature.Field, signature.RelaxedHeader, writer, withCrLf: false,
            holeStart: signature.SignatureValueStart, holeEnd: signature.SignatureValueEnd);
    }

    private static bool SameBytes(byte[] a, byte[] b)
    {
        if (a == null || b == null || a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (a[i] != b[i]) return false;
        return true;
    }

}

/// <summary>A key query's answer and the key record chosen from it (RFC 6376 §3.6.2.2).</summary>
internal readonly struct KeyFetch
{
    private KeyFetch(DnsAnswer answer, DkimKeyRecord key)
    {
        Answer = answer;
        Key = key;
    }

    public static KeyFetch From(DnsAnswer answer, DkimKeyCache cache) => new KeyFetch(answer, answer.IsError ? null : DkimKeyLookup.Choose(answer, cache, out _));

    public DnsAnswer Answer { get; }
    public DkimKeyRecord Key { get; }
}

/// <summary>The key queries of one message, each key name asked once and all under way together.</summary>
internal sealed class KeyFetches
{
    private readonly DkimKeyCache _cache;

    /// <summary>Key name and query, in the order started; a message has a few keys, so a list searched in turn is enough.</summary>
    private readonly List<(string Selector, string Domain, Task<DnsAnswer> Query)> _queries = new List<(string, string, Task<DnsAnswer>)>(1);

    public KeyFetches(DkimKeyCache cache) => _cache = cache;

    public void Start(IDnsResolver resolver, string selector, string domain, CancellationToken cancellationToken)
    {
        if (Find(selector, domain) != null) return;
        _queries.Add((selector, domain, DkimKeyLookup.QueryAsync(resolver, selector, domain, cancellationToken)));
    }

    public ValueTask<KeyFetch> GetAsync(DkimSignature signature) => GetAsync(signature.Selector, signature.Domain);

    /// <summary>The key of a name started before; no task is made when its answer is already in.</summary>
    public ValueTask<KeyFetch> GetAsync(string selector, string domain)
    {
        var query = Find(selector, domain);
        if (query.Status == TaskStatus.RanToCompletion) return new ValueTask<KeyFetch>(KeyFetch.From(query.Result, _cache));
        return Awaited(query, _cache);

        static async ValueTask<KeyFetch> Awaited(Task<DnsAnswer> pending, DkimKeyCache cache) => KeyFetch.From(await pending.ConfigureAwait(false), cache);
    }

    /// <summary>Every answer, in the order the queries were started.</summary>
    public async Task<IReadOnlyList<DnsAnswer>> AllAsync()
    {
        var answers = new List<DnsAnswer>(_queries.Count);
        foreach (var (_, _, query) in _queries) answers.Add(await query.ConfigureAwait(false));
        return answers;
    }

    private Task<DnsAnswer> Find(string selector, string domain)
    {
        foreach (var (s, d, query) in _queries)
            if (string.Equals(s, selector, StringComparison.OrdinalIgnoreCase) && string.Equals(d, domain, StringComparison.OrdinalIgnoreCase)) return query;
        return null;
    }
}
