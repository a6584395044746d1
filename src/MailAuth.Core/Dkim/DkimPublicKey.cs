using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Org.BouncyCastle.Security;

namespace MailAuth.Dkim;

/// <summary>
/// The public key of a DKIM key record's p= tag, decoded: an RSA key (RFC 6376 §3.6.1, a
/// SubjectPublicKeyInfo or a bare RSAPublicKey) or an Ed25519 key (RFC 8463 §4.2, the raw
/// 32 bytes). Verifies a signature over the canonicalized header data.
/// </summary>
internal sealed class DkimPublicKey
{
    private readonly RSAParameters _rsa;
    private readonly byte[] _ed25519;
    [ThreadStatic] private static RSA _rsaCache;
    [ThreadStatic] private static DkimPublicKey _rsaCacheOwner;

    private DkimPublicKey(string keyType, int bits, RSAParameters rsa, byte[] ed25519)
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
            key = new DkimPublicKey("ed25519", 256, default, der);
            error = null;
            return true;
        }
        if (keyType != "rsa")
        {
            error = $"key type k={keyType} is not one this verifier knows (rsa, ed25519)";
            return false;
        }

        try
        {
            RsaKeyParameters rsa;
            var asn1 = Asn1Object.FromByteArray(der);
            var seq = Asn1Sequence.GetInstance(asn1);
            if (seq.Count == 2 && seq[0] is DerInteger)
            {
                var pkcs1 = RsaPublicKeyStructure.GetInstance(seq);
                rsa = new RsaKeyParameters(false, pkcs1.Modulus, pkcs1.PublicExponent);
            }
            else
            {
                rsa = PublicKeyFactory.CreateKey(SubjectPublicKeyInfo.GetInstance(seq)) as RsaKeyParameters;
                if (rsa == null)
                {
                    error = "p= holds a public key that is not an RSA key, but k= says rsa";
                    return false;
                }
            }
            var parameters = new RSAParameters
            {
                Modulus = rsa.Modulus.ToByteArrayUnsigned(),
                Exponent = rsa.Exponent.ToByteArrayUnsigned(),
            };
            key = new DkimPublicKey("rsa", rsa.Modulus.BitLength, parameters, null);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is System.IO.IOException || ex is FormatException || ex is InvalidCastException || ex is SecurityUtilityException)
        {
            error = "p= is base64 but not a DER-encoded RSA public key";
            return false;
        }
    }

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="data"/> (RFC 6376 §3.7): RSASSA-PKCS1-v1_5 with the
    /// given hash for RSA; for Ed25519, PureEdDSA over the SHA-256 hash of the data (RFC 8463 §3).
    /// </summary>
    public bool Verify(byte[] data, byte[] signature, HashAlgorithmName hash)
    {
        if (_ed25519 != null)
        {
            if (signature.Length != Ed25519.SignatureSize) return false;
            byte[] digest;
            using (var sha = SHA256.Create()) digest = sha.ComputeHash(data);
            return Ed25519.Verify(signature, 0, _ed25519, 0, digest, 0, digest.Length);
        }

        var rsa = RsaFor(this);
        try { return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1); }
        catch (CryptographicException) { return false; }
    }

    private static RSA RsaFor(DkimPublicKey key)
    {
        // Importing a key costs more than verifying with it; keep the last one per thread.
        if (_rsaCacheOwner == key && _rsaCache != null) return _rsaCache;
        _rsaCache?.Dispose();
        _rsaCache = RSA.Create();
        _rsaCache.ImportParameters(key._rsa);
        _rsaCacheOwner = key;
        return _rsaCache;
    }
}
