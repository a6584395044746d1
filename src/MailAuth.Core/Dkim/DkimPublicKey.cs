using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace MailAuth.Dkim;

/// <summary>
/// The public key of a DKIM key record's p= tag, decoded: an RSA key (RFC 6376 §3.6.1, a
/// SubjectPublicKeyInfo or a bare RSAPublicKey) or an Ed25519 key (RFC 8463 §4.2, the raw
/// 32 bytes). Verifies a signature over the canonicalized header data.
/// </summary>
internal sealed class DkimPublicKey
{
    private readonly RSAParameters _rsa;
    private readonly Ed25519.PublicPoint _ed25519;

    private DkimPublicKey(string keyType, int bits, RSAParameters rsa, Ed25519.PublicPoint ed25519)
    {
        KeyType = keyType;
        KeySize = bits;
        _rsa = rsa;
        _ed25519 = ed25519;
    }

    /// <summary>rsa or ed25519.</summary>
    public string KeyType { get; }

    /// <summary>Key size in bits: the RSA modulus length, 256 for Ed25519.</summary>
    public int KeySize { get; }

    /// <summary>Decodes p= for key type k=; returns false with a reason when it cannot.</summary>
    public static bool TryDecode(string keyType, string base64, out DkimPublicKey key, out string error)
    {
        key = null;
        byte[] der;
        try { der = Convert.FromBase64String(base64); }
        catch (FormatException)
        {
            error = "p= is not valid base64";
            return false;
        }

        if (keyType == "ed25519")
        {
            if (der.Length != Ed25519.PublicKeySize)
            {
                error = $"an Ed25519 key in p= must be 32 bytes, this one is {der.Length}";
                return false;
            }
            // The point is decoded and checked (on the curve, not of small order) once per key, not in every
            // verification; 32 bytes that are no such point still make a key, one that verifies nothing.
            key = new DkimPublicKey("ed25519", 256, default, Ed25519.ValidatePublicKeyFullExport(der, 0));
            error = null;
            return true;
        }
        if (keyType != "rsa")
        {
            error = $"key type k={keyType} is not one this verifier knows (rsa, ed25519)";
            return false;
        }

        switch (RsaKeyDer.TryRead(der, out var modulus, out var exponent))
        {
            case RsaKeyDer.Outcome.NotRsa:
                error = "p= holds a public key that is not an RSA key, but k= says rsa";
                return false;
            case RsaKeyDer.Outcome.NotPositive:
                error = "p= holds an RSA key with a zero or negative modulus or exponent";
                return false;
            case RsaKeyDer.Outcome.Malformed:
                error = "p= is base64 but not a DER-encoded RSA public key";
                return false;
        }
        key = new DkimPublicKey("rsa", RsaKeyDer.BitLength(modulus), new RSAParameters { Modulus = modulus, Exponent = exponent }, null);
        error = null;
        return true;
    }

    /// <summary>
    /// Verifies <paramref name="signature"/> of the header data whose hash is <paramref name="digest"/> (RFC 6376 §3.7):
    /// RSASSA-PKCS1-v1_5 with the given hash for RSA; for Ed25519, PureEdDSA over that SHA-256 hash (RFC 8463 §3).
    /// </summary>
    public bool VerifyHash(byte[] digest, byte[] signature, HashAlgorithmName hash, DkimKeyCache cache)
    {
        if (KeyType == "ed25519")
            return _ed25519 != null && signature.Length == Ed25519.SignatureSize && Ed25519.Verify(signature, 0, _ed25519, digest, 0, digest.Length);

        // An RSA object is not documented as safe to share between threads: each verification rents one from the cache.
        var rsa = cache.RentRsa(this);
        try { return rsa.VerifyHash(digest, signature, hash, RSASignaturePadding.Pkcs1); }
        catch (CryptographicException) { return false; }
        finally { cache.ReturnRsa(this, rsa); }
    }

    /// <summary>A new RSA object holding this key (importing costs more than verifying; <see cref="DkimKeyCache"/> keeps them).</summary>
    internal RSA Import()
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(_rsa);
        return rsa;
    }
}
