using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailAuth.Dns;

namespace MailAuth.Dkim;

/// <summary>
/// A DKIM-Signature header field (RFC 6376 §3.5) parsed and checked for the required tags and
/// their syntax. What is wrong is in <see cref="Error"/>; every tag that could be read is kept so
/// that a PermError still says which domain and selector it was about.
/// </summary>
internal sealed class DkimSignature
{
    /// <summary>More header fields than this in h= is refused (a defence against huge h= lists).</summary>
    public const int MaxSignedHeaders = 1000;

    private static readonly string[] RequiredTags = { "v", "a", "b", "bh", "d", "h", "s" };
    private static readonly string[] RequiredArcTags = { "i", "a", "b", "bh", "d", "h", "s" };

    private DkimSignature(DkimHeaderField field) => Field = field;

    public DkimHeaderField Field { get; }
    public string Domain { get; private set; }
    public string Selector { get; private set; }
    public string Algorithm { get; private set; }
    public string KeyType => Kind.KeyType;
    public string HashName => Kind.HashName;
    public DkimHashAlgorithm Hash => Kind.Hash;

    /// <summary>a= read as key type and hash.</summary>
    public DkimAlgorithm Kind { get; private set; }
    public bool RelaxedHeader { get; private set; }
    public bool RelaxedBody { get; private set; }
    public string Canonicalization { get; private set; } = "simple/simple";
    public IReadOnlyList<string> SignedHeaders { get; private set; } = Array.Empty<string>();
    public long? BodyLength { get; private set; }
    public string Identity { get; private set; }
    public DateTimeOffset? Timestamp { get; private set; }
    public DateTimeOffset? Expiration { get; private set; }
    /// <summary>bh=, whitespace removed; made when asked for.</summary>
    public string BodyHash => _tags?.ValueWithoutWhitespace("bh");

    /// <summary>
    /// b=, the signature data with whitespace removed, as written. Made when asked for (it is only shown, never needed to
    /// verify): from <see cref="SignatureBytes"/> when encoding them gives the text back, else from the field.
    /// </summary>
    public string SignatureData => _signatureData ?? (_signatureData = SignatureTextRoundTrips ? Convert.ToBase64String(SignatureBytes) : _tags?.ValueWithoutWhitespace("b"));

    /// <summary>Whether base64-encoding <see cref="SignatureBytes"/> gives b= back exactly (the decoder ignores nonzero padding bits, an encoder never writes them).</summary>
    public bool SignatureTextRoundTrips { get; private set; }

    private DkimTagList _tags;
    private string _signatureData;

    /// <summary>bh= decoded, when it is valid base64.</summary>
    public byte[] BodyHashBytes { get; private set; }

    /// <summary>b= decoded (once, here), when it is valid base64.</summary>
    public byte[] SignatureBytes { get; private set; }

    /// <summary>Where b='s value lies in the message bytes (after its '=', up to its ';' or the end of the field): what §3.7 hashes as empty.</summary>
    public int SignatureValueStart { get; private set; }

    public int SignatureValueEnd { get; private set; }
    public string Error { get; private set; }

    /// <summary>An ARC-Message-Signature (RFC 8617 §4.1.2): DKIM-Signature syntax without v=, with i= the instance.</summary>
    public bool IsArcMessageSignature { get; private set; }

    /// <summary>i= of an ARC-Message-Signature.</summary>
    public int ArcInstance { get; private set; }

    /// <summary>The ARC header field an ARC-Message-Signature's h= lists (RFC 8617 §4.1.2 forbids it), or null.</summary>
    public string SignedArcField { get; private set; }

    /// <summary>The ARC header fields, which no ARC-Message-Signature may sign (RFC 8617 §4.1.2).</summary>
    internal static readonly string[] ArcFields = { "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results" };

    public static DkimSignature Parse(DkimHeaderField field, bool arcMessageSignature = false)
    {
        var sig = new DkimSignature(field) { IsArcMessageSignature = arcMessageSignature };
        if (!DkimTagList.TryParse(field, out var tags, out var error))
        {
            sig.Error = "the DKIM-Signature is not a valid tag list: " + error;
            return sig;
        }
        sig.Domain = tags.ValueWithoutWhitespace("d")?.ToLowerInvariant();
        sig.Selector = tags.ValueWithoutWhitespace("s")?.ToLowerInvariant();
        sig.Algorithm = tags.ValueWithoutWhitespace("a")?.ToLowerInvariant();
        sig._tags = tags;
        if (tags.TryGetValueRange("b", out int bStart, out int bEnd))
        {
            sig.SignatureValueStart = bStart;
            sig.SignatureValueEnd = bEnd;
        }
        sig.Identity = tags["i"];
        var signedHeaders = tags.ListValue("h", ':');
        if (signedHeaders != null) sig.SignedHeaders = signedHeaders;
        sig.Error = sig.Validate(tags);
        return sig;
    }

    private string Validate(DkimTagList tags)
    {
        foreach (var required in IsArcMessageSignature ? RequiredArcTags : RequiredTags)
            if (!tags.Contains(required)) return $"the required tag {required}= is missing";
        if (IsArcMessageSignature)
        {
            if (!int.TryParse(tags["i"], NumberStyles.None, CultureInfo.InvariantCulture, out var instance) || instance < 1 || instance > 50) return $"i={tags["i"]} is not an ARC instance (1 to 50)";
            ArcInstance = instance;
            Identity = null;
        }
        else if (tags["v"] != "1") return $"v={tags["v"]} is not 1";

        if (!DkimAlgorithm.TryParse(Algorithm, out var kind, out var algorithmError)) return algorithmError;
        Kind = kind;

        var c = tags["c"] == null ? "simple/simple" : DkimTagList.StripWhitespace(tags["c"]).ToLowerInvariant();
        int slash = c.IndexOf('/');
        int headerEnd = slash < 0 ? c.Length : slash;
        if ((slash >= 0 && c.IndexOf('/', slash + 1) >= 0) || !IsCanon(c, 0, headerEnd) || (slash >= 0 && !IsCanon(c, slash + 1, c.Length)))
            return $"c={c} is not a canonicalization (simple or relaxed, header/body)";
        RelaxedHeader = IsRelaxed(c, 0, headerEnd);
        RelaxedBody = slash >= 0 && IsRelaxed(c, slash + 1, c.Length);
        Canonicalization = RelaxedHeader ? (RelaxedBody ? "relaxed/relaxed" : "relaxed/simple") : (RelaxedBody ? "simple/relaxed" : "simple/simple");

        if (string.IsNullOrEmpty(Domain) || !IsDomainName(Domain, null)) return $"d={Domain} is not a domain name";
        if (string.IsNullOrEmpty(Selector) || !IsDomainName(Selector, Domain)) return $"s={Selector} is not a selector";
        if (SignedHeaders.Count > MaxSignedHeaders) return $"h= lists {SignedHeaders.Count} header fields, more than the {MaxSignedHeaders} this verifier accepts";
        bool emptyName = false, from = false;
        foreach (var name in SignedHeaders)
        {
            emptyName |= name.Length == 0;
            from |= string.Equals(name, "From", StringComparison.OrdinalIgnoreCase);
        }
        if (emptyName) return "h= has an empty header field name";
        if (IsArcMessageSignature)
        {
            SignedArcField = ArcFields.FirstOrDefault(arc => SignedHeaders.Any(name => string.Equals(name, arc, StringComparison.OrdinalIgnoreCase)));
            if (SignedArcField != null) return $"h= covers {SignedArcField}, and an ARC-Message-Signature must not sign ARC header fields (RFC 8617 §4.1.2)";
        }
        if (!from) return "h= does not include From, which must be signed";
        var signatureBytes = tags.Base64Value("b", out bool signatureRoundTrips);
        if (signatureBytes != null && signatureBytes.Length == 0) return "b= (the signature) is empty";
        var bodyHashBytes = tags.Base64Value("bh", out _);
        if (bodyHashBytes != null && bodyHashBytes.Length == 0) return "bh= (the body hash) is empty";
        if (signatureBytes == null) return "b= is not valid base64";
        if (bodyHashBytes == null) return "bh= is not valid base64";
        SignatureBytes = signatureBytes;
        BodyHashBytes = bodyHashBytes;
        SignatureTextRoundTrips = signatureRoundTrips;

        if (Identity != null)
        {
            var written = Identity;
            Identity = DecodeQuotedPrintable(written);
            if (Identity == null) return $"i={written} is not dkim-quoted-printable (RFC 6376 §2.11)";
            int at = Identity.LastIndexOf('@');
            if (at < 0) return $"i={Identity} has no @";
            var idDomain = Identity.Substring(at + 1).Trim().ToLowerInvariant();
            if (!DomainName.IsAtOrBelow(idDomain, Domain)) return $"the domain of i={Identity} is not d={Domain} or a subdomain of it";
        }
        if (tags["l"] != null)
        {
            if (!long.TryParse(tags["l"], NumberStyles.None, CultureInfo.InvariantCulture, out var l)) return $"l={tags["l"]} is not a number";
            BodyLength = l;
        }
        if (tags["q"] != null && tags["q"] != "dns/txt" && !tags["q"].Split(':').Any(q => q.Trim() == "dns/txt")) return $"q={tags["q"]} does not offer dns/txt";
        if (tags["t"] != null)
        {
            if (!ulong.TryParse(tags["t"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) || t > 253402300799UL) return $"t={tags["t"]} is not a timestamp";
            Timestamp = DateTimeOffset.FromUnixTimeSeconds((long)t);
        }
        if (tags["x"] != null)
        {
            if (!ulong.TryParse(tags["x"], NumberStyles.None, CultureInfo.InvariantCulture, out var x) || x > 253402300799UL) return $"x={tags["x"]} is not a timestamp";
            Expiration = DateTimeOffset.FromUnixTimeSeconds((long)x);
            if (Timestamp.HasValue && Expiration < Timestamp) return "x= (expiration) is before t= (signing time)";
        }
        return null;
    }

    /// <summary>
    /// Decodes dkim-quoted-printable (RFC 6376 §2.11), the form of i= (§3.5): "=" and two hex digits is that octet, whitespace
    /// (FWS) is dropped. Null when a "=" is not followed by two hex digits.
    /// </summary>
    internal static string DecodeQuotedPrintable(string value)
    {
        if (value.IndexOf('=') < 0 && DkimTagList.StripWhitespace(value) == value) return value;
        var octets = new List<byte>(value.Length);
        for (int k = 0; k < value.Length; k++)
        {
            char c = value[k];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
            if (c != '=')
            {
                if (c > 0xFF) return null;
                octets.Add((byte)c);
                continue;
            }
            if (k + 2 >= value.Length || !IsHex(value[k + 1]) || !IsHex(value[k + 2])) return null;
            octets.Add((byte)((HexValue(value[k + 1]) << 4) | HexValue(value[k + 2])));
            k += 2;
        }
        // The header bytes were read as Latin-1; decoded octets go back the same way, so 8-bit octets survive unchanged.
        return DkimMessage.Latin1(octets.ToArray(), 0, octets.Count);
    }

    private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>The domain part of i=, or d= when i= is absent.</summary>
    public string IdentityDomain
    {
        get
        {
            if (Identity == null) return Domain;
            return Identity.Substring(Identity.LastIndexOf('@') + 1).Trim().ToLowerInvariant();
        }
    }

    /// <summary>Whether <paramref name="s"/> from <paramref name="start"/> to <paramref name="end"/> is "simple" or "relaxed".</summary>
    private static bool IsCanon(string s, int start, int end) => IsRelaxed(s, start, end) || Is(s, start, end, "simple");

    private static bool IsRelaxed(string s, int start, int end) => Is(s, start, end, "relaxed");

    private static bool Is(string s, int start, int end, string word) => end - start == word.Length && string.CompareOrdinal(s, start, word, 0, word.Length) == 0;

    /// <summary>
    /// Whether <paramref name="name"/> (lower-case d=, or s= followed by its <paramref name="parent"/> d=)
    /// is a domain name as <see cref="DomainName.TryNormalize"/> judges it. The usual plain LDH name is judged here without
    /// making strings; anything else goes to TryNormalize.
    /// </summary>
    private static bool IsDomainName(string name, string parent)
    {
        if (name.Length + (parent == null ? 0 : parent.Length + 1) <= 253 && IsPlainName(name) && (parent == null || IsPlainName(parent))) return true;
        return DomainName.TryNormalize(parent == null ? name : name + "." + parent, out _, out _);
    }

    /// <summary>Lower-case labels of 1 to 63 letters, digits, '-' and '_', no dot at either end.</summary>
    private static bool IsPlainName(string name)
    {
        int label = 0;
        foreach (char c in name)
        {
            if (c == '.')
            {
                if (label == 0) return false;
                label = 0;
            }
            else if (((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') && ++label <= 63) continue;
            else return false;
        }
        return label > 0;
    }
}
