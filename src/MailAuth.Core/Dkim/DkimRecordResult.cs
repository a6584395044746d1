using System;
using System.Collections.Generic;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dkim;

/// <summary>
/// One selector's DKIM key record as Get-DkimRecord reports it (RFC 6376 §3.6.1): where it lives,
/// whether it was found, the key's type and size, its flags, and findings on what to change.
/// </summary>
public sealed class DkimRecordResult
{
    private static readonly IReadOnlyList<string> NoValues = Array.Empty<string>();

    internal DkimRecordResult(string domain, string selector, string name, RecordStatus status, DnsErrorKind errorKind,
        string cnameTarget, DkimKeyRecord key, IReadOnlyList<Finding> findings)
    {
        Domain = domain;
        Selector = selector;
        Name = name;
        Status = status;
        ErrorKind = errorKind;
        CnameTarget = cnameTarget;
        Record = key?.Text;
        Version = key?.Version;
        KeyType = key?.LooksLikeKey == true ? key.KeyType : null;
        KeySize = key?.KeySize;
        Flags = ReadOnlyArray.From(key?.Flags);
        HashAlgorithms = ReadOnlyArray.From(key?.HashAlgorithms);
        ServiceTypes = ReadOnlyArray.From(key?.ServiceTypes);
        Revoked = key?.Revoked ?? false;
        Testing = key?.Testing ?? false;
        Findings = ReadOnlyArray.From(findings);
    }

    /// <summary>The signing domain (d=) asked about.</summary>
    public string Domain { get; }

    /// <summary>The selector (s=) asked about.</summary>
    public string Selector { get; }

    /// <summary>The name queried: &lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
    public string Name { get; }

    /// <summary>Found, NotFound (the DNS says there is no record) or Error (the lookup failed, see <see cref="ErrorKind"/>).</summary>
    public RecordStatus Status { get; }

    /// <summary>Why the lookup failed, when <see cref="Status"/> is Error.</summary>
    public DnsErrorKind ErrorKind { get; }

    /// <summary>Where <see cref="Name"/> points when it is a CNAME (Amazon SES Easy DKIM: &lt;token&gt;.dkim.amazonses.com); the last target of the chain.</summary>
    public string CnameTarget { get; }

    /// <summary>k=: rsa or ed25519 (RFC 8463); null when no key record was found.</summary>
    public string KeyType { get; }

    /// <summary>The key size in bits (RSA modulus length; 256 for Ed25519), when the key decoded.</summary>
    public int? KeySize { get; }

    /// <summary>t= flags: y (testing), s (strict identity).</summary>
    public IReadOnlyList<string> Flags { get; }

    /// <summary>t=y is set.</summary>
    public bool Testing { get; }

    /// <summary>h=: hash algorithms allowed with the key; empty means any.</summary>
    public IReadOnlyList<string> HashAlgorithms { get; }

    /// <summary>s=: service types; empty means all.</summary>
    public IReadOnlyList<string> ServiceTypes { get; }

    /// <summary>The key is revoked: p= is empty.</summary>
    public bool Revoked { get; }

    /// <summary>v=: DKIM1, or null when absent (allowed; Amazon SES keys have none).</summary>
    public string Version { get; }

    /// <summary>The key record text as published.</summary>
    public string Record { get; }

    public IReadOnlyList<Finding> Findings { get; }

    public override string ToString() => $"{Name} {Status}";
}
