using System;
using System.Collections.Generic;
using System.Linq;

namespace MailAuth.Dkim;

/// <summary>
/// A DKIM key record (RFC 6376 §3.6.1), the TXT record at &lt;selector&gt;._domainkey.&lt;domain&gt;,
/// parsed. Parsing never throws: problems are in <see cref="Error"/> (the record cannot be used)
/// and the caller turns them into findings or a PermError.
/// </summary>
public sealed class DkimKeyRecord
{
    private static readonly IReadOnlyList<string> NoValues = Array.Empty<string>();

    private DkimKeyRecord(string text)
    {
        Text = text;
    }

    /// <summary>The record text, its character-strings joined.</summary>
    public string Text { get; }

    /// <summary>v=, "DKIM1" when present; absent on Amazon SES keys, which is allowed.</summary>
    public string Version { get; private set; }

    /// <summary>k=, the key type: rsa (the default) or ed25519 (RFC 8463).</summary>
    public string KeyType { get; private set; } = "rsa";

    /// <summary>h=, the hash algorithms the key may be used with; empty means any.</summary>
    public IReadOnlyList<string> HashAlgorithms { get; private set; } = NoValues;

    /// <summary>s=, service types; empty means * (all).</summary>
    public IReadOnlyList<string> ServiceTypes { get; private set; } = NoValues;

    /// <summary>t=, flags: y (testing) and s (the i= domain must equal d=).</summary>
    public IReadOnlyList<string> Flags { get; private set; } = NoValues;

    /// <summary>n=, notes for people.</summary>
    public string Notes { get; private set; }

    /// <summary>p=, the base64 public key with whitespace removed; empty when revoked.</summary>
    public string PublicKeyData { get; private set; }

    /// <summary>p= is present and empty: the key is revoked (RFC 6376 §3.6.1).</summary>
    public bool Revoked => PublicKeyData != null && PublicKeyData.Length == 0;

    /// <summary>t=y: the domain is testing DKIM.</summary>
    public bool Testing => Flags.Contains("y");

    /// <summary>t=s: signatures must use an i= domain equal to d=, not a subdomain.</summary>
    public bool StrictIdentity => Flags.Contains("s");

    /// <summary>The key size in bits, when the key decoded.</summary>
    public int? KeySize => PublicKey?.KeySize;

    /// <summary>Why the record cannot be used, or null.</summary>
    public string Error { get; private set; }

    /// <summary>Why p= could not be decoded (bad base64, not a key), or null; separate from <see cref="Error"/>.</summary>
    public string KeyError { get; private set; }

    internal DkimPublicKey PublicKey { get; private set; }

    /// <summary>Whether the record looks like a DKIM key record at all (v=DKIM1, or a p= tag).</summary>
    public bool LooksLikeKey { get; private set; }

    /// <summary>
    /// Parses a key record. Unknown tags are ignored as RFC 6376 §3.6.1 requires. Each call parses afresh;
    /// verifiers keep what they parsed in a <see cref="DkimKeyCache"/>.
    /// </summary>
    public static DkimKeyRecord Parse(string text)
    {
        var record = new DkimKeyRecord(text ?? string.Empty);
        if (!DkimTagList.TryParse(record.Text, out var tags, out var error))
        {
            record.LooksLikeKey = record.Text.Contains("p=") || record.Text.StartsWith("v=DKIM1", StringComparison.Ordinal);
            record.Error = "the record is not a valid tag list: " + error;
            return record;
        }

        record.Version = tags["v"];
        record.LooksLikeKey = tags.Contains("p") || record.Version != null;
        if (record.Version != null)
        {
            if (tags.Names[0] != "v") record.Error = "v= must be the first tag of the record";
            else if (record.Version != "DKIM1") record.Error = $"v={record.Version} is not DKIM1";
        }
        if (tags.Contains("k")) record.KeyType = tags["k"].ToLowerInvariant();
        record.HashAlgorithms = SplitList(tags["h"], ':');
        record.ServiceTypes = SplitList(tags["s"], ':');
        record.Flags = SplitList(tags["t"], ':');
        record.Notes = tags["n"];
        if (!tags.Contains("p"))
        {
            record.Error = record.Error ?? "the required p= tag (the public key) is missing";
            return record;
        }
        record.PublicKeyData = DkimTagList.StripWhitespace(tags["p"]);
        if (record.PublicKeyData.Length > 0)
        {
            if (DkimPublicKey.TryDecode(record.KeyType, record.PublicKeyData, out var key, out var keyError))
                record.PublicKey = key;
            else
                record.KeyError = keyError;
        }
        return record;
    }

    private static IReadOnlyList<string> SplitList(string value, char separator)
    {
        if (string.IsNullOrEmpty(value)) return NoValues;
        return value.Split(separator).Select(v => DkimTagList.StripWhitespace(v).ToLowerInvariant()).Where(v => v.Length > 0).ToList();
    }

    public override string ToString() => Text;
}
