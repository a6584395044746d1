using System;

namespace MailAuth.Dkim;

/// <summary>
/// Reads the modulus and public exponent of the RSA key in a DKIM key record's p= (RFC 6376 §3.6.1): a DER-encoded
/// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) with the rsaEncryption algorithm (RFC 8017 Appendix A.1), or, as some
/// signers publish, the bare RSAPublicKey SEQUENCE { modulus INTEGER, publicExponent INTEGER }. Only the few DER forms
/// these two structures use are read, with every length checked against what encloses it; nothing may follow the key.
/// </summary>
internal static class RsaKeyDer
{
    internal enum Outcome
    {
        Rsa,
        NotRsa,
        NotPositive,
        Malformed,
    }

    private const byte Sequence = 0x30, Integer = 0x02, BitString = 0x03, ObjectIdentifier = 0x06;

    /// <summary>1.2.840.113549.1.1.1, rsaEncryption (RFC 8017 Appendix A.1), as its DER contents.</summary>
    private static readonly byte[] RsaEncryption = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };

    /// <summary>The key's modulus and exponent, big-endian without leading zero octets.</summary>
    internal static Outcome TryRead(byte[] der, out byte[] modulus, out byte[] exponent)
    {
        modulus = exponent = null;
        int pos = 0;
        if (!TryHeader(der, ref pos, der.Length, Sequence, out int outerEnd) || outerEnd != der.Length) return Outcome.Malformed;
        if (pos < outerEnd && der[pos] == Integer) return TryReadRsaPublicKey(der, pos, outerEnd, out modulus, out exponent);

        // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
        if (!TryHeader(der, ref pos, outerEnd, Sequence, out int algorithmEnd)) return Outcome.Malformed;
        if (!TryHeader(der, ref pos, algorithmEnd, ObjectIdentifier, out int oidEnd)) return Outcome.Malformed;
        bool rsa = oidEnd - pos == RsaEncryption.Length && der.AsSpan(pos, RsaEncryption.Length).SequenceEqual(RsaEncryption);
        pos = algorithmEnd; // the parameters (NULL for rsaEncryption) are not needed
        if (!TryHeader(der, ref pos, outerEnd, BitString, out int bitsEnd) || bitsEnd != outerEnd) return Outcome.Malformed;
        if (pos >= bitsEnd || der[pos] != 0) return Outcome.Malformed; // a key is whole octets: no unused bits
        pos++;
        if (!rsa) return Outcome.NotRsa;
        if (!TryHeader(der, ref pos, bitsEnd, Sequence, out int keyEnd) || keyEnd != bitsEnd) return Outcome.Malformed;
        return TryReadRsaPublicKey(der, pos, keyEnd, out modulus, out exponent);
    }

    /// <summary>The bit length of a big-endian unsigned number without leading zero octets.</summary>
    internal static int BitLength(byte[] number)
    {
        if (number.Length == 0) return 0;
        int bits = (number.Length - 1) * 8;
        for (int top = number[0]; top != 0; top >>= 1) bits++;
        return bits;
    }

    private static Outcome TryReadRsaPublicKey(byte[] der, int pos, int end, out byte[] modulus, out byte[] exponent)
    {
        modulus = exponent = null;
        var n = TryInteger(der, ref pos, end, out modulus);
        if (n != Outcome.Rsa) return n;
        var e = TryInteger(der, ref pos, end, out exponent);
        if (e != Outcome.Rsa) return e;
        return pos == end ? Outcome.Rsa : Outcome.Malformed;
    }

    /// <summary>A positive INTEGER, its value without the leading zero octet DER puts before a high bit.</summary>
    private static Outcome TryInteger(byte[] der, ref int pos, int end, out byte[] value)
    {
        value = null;
        if (!TryHeader(der, ref pos, end, Integer, out int valueEnd) || valueEnd == pos) return Outcome.Malformed;
        if ((der[pos] & 0x80) != 0) { pos = valueEnd; return Outcome.NotPositive; }
        int start = pos;
        while (start < valueEnd && der[start] == 0) start++;
        pos = valueEnd;
        if (start == valueEnd) return Outcome.NotPositive;
        value = new byte[valueEnd - start];
        Buffer.BlockCopy(der, start, value, 0, value.Length);
        return Outcome.Rsa;
    }

    /// <summary>Reads a tag and a definite length (X.690 §8.1.3); <paramref name="contentEnd"/> is where the contents end, within <paramref name="limit"/>.</summary>
    private static bool TryHeader(byte[] der, ref int pos, int limit, byte tag, out int contentEnd)
    {
        contentEnd = 0;
        if (pos + 2 > limit || der[pos] != tag) return false;
        int first = der[pos + 1];
        pos += 2;
        long length;
        if (first < 0x80) length = first;
        else
        {
            int octets = first & 0x7F;
            if (octets == 0 || octets > 4 || pos + octets > limit) return false; // indefinite (BER) or absurd
            length = 0;
            for (int i = 0; i < octets; i++) length = (length << 8) | der[pos++];
        }
        if (length > limit - pos) return false;
        contentEnd = pos + (int)length;
        return true;
    }
}
