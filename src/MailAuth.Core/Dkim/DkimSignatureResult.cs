using System;
using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.Dkim;

/// <summary>
/// The verification of one DKIM-Signature (RFC 6376 §6): the signature's tags, the key used, whether
/// the body hash (bh=) and the header signature (b=) each matched, the verdict and why.
/// </summary>
public sealed class DkimSignatureResult
{
    internal DkimSignatureResult(DkimSignature signature, DkimResult result, string reason, bool? bodyHashMatches, bool? signatureMatches,
        string keyType, int? keySize, bool testing, string keyRecord, IReadOnlyList<string> warnings, int index)
    {
        Index = index;
        Result = result;
        Reason = reason;
        BodyHashMatches = bodyHashMatches;
        SignatureMatches = signatureMatches;
        KeyType = keyType;
        KeySize = keySize;
        Testing = testing;
        KeyRecord = keyRecord;
        Warnings = ReadOnlyArray.From(warnings);
        if (signature == null)
        {
            SignedHeaders = ReadOnlyArray<string>.Empty;
            return;
        }
        Domain = signature.Domain;
        Selector = signature.Selector;
        Algorithm = signature.Algorithm;
        Canonicalization = signature.Error == null ? signature.Canonicalization : null;
        SignedHeaders = ReadOnlyArray.From(signature.SignedHeaders);
        BodyLength = signature.BodyLength;
        Identity = signature.Identity;
        Timestamp = signature.Timestamp;
        Expiration = signature.Expiration;
        if (signature.SignatureTextRoundTrips) _signatureBytes = signature.SignatureBytes;
        else _signature = signature.SignatureData;
    }

    /// <summary>Where the message came from (a file path), when the caller said; otherwise null.</summary>
    public string Source { get; private set; }

    internal DkimSignatureResult WithSource(string source)
    {
        Source = source;
        return this;
    }

    /// <summary>The position of the DKIM-Signature among the message's signatures, 0 for the topmost.</summary>
    public int Index { get; }

    /// <summary>d=, the signing domain.</summary>
    public string Domain { get; }

    /// <summary>s=, the selector.</summary>
    public string Selector { get; }

    /// <summary>a=: rsa-sha256, rsa-sha1 or ed25519-sha256 (RFC 8463).</summary>
    public string Algorithm { get; }

    /// <summary>c=, header/body: simple/simple, relaxed/relaxed, ...</summary>
    public string Canonicalization { get; }

    /// <summary>h=, the signed header fields in the order signed.</summary>
    public IReadOnlyList<string> SignedHeaders { get; }

    /// <summary>l=, the number of body octets signed, when the signature limits it.</summary>
    public long? BodyLength { get; }

    /// <summary>i=, the agent or user identifier; null when absent (it then defaults to @d).</summary>
    public string Identity { get; }

    /// <summary>t=, when the message was signed.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>x=, when the signature expires.</summary>
    public DateTimeOffset? Expiration { get; }

    /// <summary>b=, the signature data (base64, whitespace removed); its first characters are the header.b of RFC 6008.</summary>
    public string Signature => _signature ?? (_signature = _signatureBytes == null ? null : Convert.ToBase64String(_signatureBytes));

    /// <summary>b= decoded, kept instead of its text when encoding gives the text back: the text is made only if asked for.</summary>
    private readonly byte[] _signatureBytes;
    private string _signature;

    /// <summary>The verdict.</summary>
    public DkimResult Result { get; }

    /// <summary>Whether the canonicalized body hashes to bh=; null when the signature was not read that far.</summary>
    public bool? BodyHashMatches { get; }

    /// <summary>Whether b= verifies over the signed header fields with the published key; null when not checked (no key, malformed signature).</summary>
    public bool? SignatureMatches { get; }

    /// <summary>The key's type, rsa or ed25519, when a key was fetched.</summary>
    public string KeyType { get; }

    /// <summary>The key size in bits, when a key was fetched and decoded.</summary>
    public int? KeySize { get; }

    /// <summary>The key has t=y: the signer is testing, and receivers treat the message as if unsigned.</summary>
    public bool Testing { get; }

    /// <summary>The key record used, as published.</summary>
    public string KeyRecord { get; }

    /// <summary>Why the result is what it is, for a person; null for a plain pass.</summary>
    public string Reason { get; }

    /// <summary>Things worth knowing that did not change the result (t=y, a 1024-bit key, l= shorter than the body).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public override string ToString() => $"d={Domain} s={Selector} {Result}{(Reason == null ? "" : " (" + Reason + ")")}";
}
