namespace MailAuth.Dkim;

/// <summary>
/// The a= of a DKIM-Signature, ARC-Message-Signature or ARC-Seal read as a key type and a hash: rsa-sha256 and rsa-sha1
/// (RFC 6376 §3.3) and ed25519-sha256 (RFC 8463 §3).
/// </summary>
internal readonly struct DkimAlgorithm
{
    private DkimAlgorithm(string keyType, string hashName, DkimHashAlgorithm hash)
    {
        KeyType = keyType;
        HashName = hashName;
        Hash = hash;
    }

    /// <summary>k= of the key the signature needs: rsa or ed25519.</summary>
    public string KeyType { get; }

    /// <summary>The hash as a key record's h= names it: sha256 or sha1.</summary>
    public string HashName { get; }

    public DkimHashAlgorithm Hash { get; }

    /// <summary>Reads a lower-case a= value; false with the reason for any other algorithm.</summary>
    public static bool TryParse(string algorithm, out DkimAlgorithm parsed, out string error)
    {
        switch (algorithm)
        {
            case "rsa-sha256": parsed = new DkimAlgorithm("rsa", "sha256", DkimHashAlgorithm.Sha256); break;
            case "rsa-sha1": parsed = new DkimAlgorithm("rsa", "sha1", DkimHashAlgorithm.Sha1); break;
            case "ed25519-sha256": parsed = new DkimAlgorithm("ed25519", "sha256", DkimHashAlgorithm.Sha256); break;
            default:
                parsed = default;
                error = $"the algorithm a={algorithm} is not one of rsa-sha256, rsa-sha1, ed25519-sha256";
                return false;
        }
        error = null;
        return true;
    }
}
