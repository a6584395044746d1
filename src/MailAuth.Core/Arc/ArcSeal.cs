using System;
using MailAuth.Dkim;
using MailAuth.Dns;

namespace MailAuth.Arc;

/// <summary>
/// An ARC-Seal header field (RFC 8617 §4.1.3) parsed: a DKIM-style tag list with i=, a=, b=, d=, s= and cv=, and no h=
/// (the seal's coverage is fixed by §5.1.1). What is wrong is in <see cref="Error"/>.
/// </summary>
internal sealed class ArcSeal
{
    private static readonly string[] RequiredTags = { "i", "a", "b", "cv", "d", "s" };

    private ArcSeal(DkimHeaderField field) => Field = field;

    public DkimHeaderField Field { get; }

    /// <summary>d=, the sealer's domain.</summary>
    public string Domain { get; private set; }

    /// <summary>s=, the sealer's selector.</summary>
    public string Selector { get; private set; }

    /// <summary>a=, as written (lower-case).</summary>
    public string Algorithm { get; private set; }

    /// <summary>a= read as key type and hash.</summary>
    public DkimAlgorithm Kind { get; private set; }

    /// <summary>cv=, lower-case: none, pass or fail as the sealer found the chain.</summary>
    public string ChainValidation { get; private set; }

    public byte[] SignatureBytes { get; private set; }

    /// <summary>Where b='s value lies in the message bytes: what §5.1.1 hashes as empty.</summary>
    public int SignatureValueStart { get; private set; }

    public int SignatureValueEnd { get; private set; }
    public string Error { get; private set; }

    public static ArcSeal Parse(DkimHeaderField field)
    {
        var seal = new ArcSeal(field);
        if (!DkimTagList.TryParse(field, out var tags, out var error))
        {
            seal.Error = "the ARC-Seal is not a valid tag list: " + error;
            return seal;
        }
        seal.Domain = tags.ValueWithoutWhitespace("d")?.ToLowerInvariant();
        seal.Selector = tags.ValueWithoutWhitespace("s")?.ToLowerInvariant();
        seal.Algorithm = tags.ValueWithoutWhitespace("a")?.ToLowerInvariant();
        seal.ChainValidation = tags.ValueWithoutWhitespace("cv")?.ToLowerInvariant();
        if (tags.TryGetValueRange("b", out int bStart, out int bEnd))
        {
            seal.SignatureValueStart = bStart;
            seal.SignatureValueEnd = bEnd;
        }
        seal.Error = seal.Validate(tags);
        return seal;
    }

    private string Validate(DkimTagList tags)
    {
        foreach (var required in RequiredTags)
            if (!tags.Contains(required)) return $"the required tag {required}= is missing";
        if (tags.Contains("h")) return "the ARC-Seal has an h= tag, which RFC 8617 §4.1.3 does not allow";
        if (!DkimAlgorithm.TryParse(Algorithm, out var kind, out var algorithmError)) return algorithmError;
        Kind = kind;
        if (string.IsNullOrEmpty(Domain) || string.IsNullOrEmpty(Selector)
            || !DomainName.TryNormalize(DkimKeyLookup.KeyName(Selector, Domain), out _, out _))
            return $"s={Selector} d={Domain} do not name a key";
        SignatureBytes = tags.Base64Value("b", out _);
        if (SignatureBytes == null) return "b= is not valid base64";
        if (SignatureBytes.Length == 0) return "b= (the signature) is empty";
        return null;
    }
}
