using System;
using System.Linq;
using System.Security.Cryptography;
using MailAuth.Dkim;
using Xunit;

namespace MailAuth.Tests.Dkim;

/// <summary>The RSA keys of p= as .NET writes them (SubjectPublicKeyInfo and bare RSAPublicKey), and DER that is not one.</summary>
public sealed class RsaKeyDerTests
{
    private static readonly RSA Key = RSA.Create(2048);

    [Fact]
    public void Reads_a_SubjectPublicKeyInfo()
    {
        var expected = Key.ExportParameters(false);
        Assert.Equal(RsaKeyDer.Outcome.Rsa, RsaKeyDer.TryRead(Key.ExportSubjectPublicKeyInfo(), out var n, out var e));
        Assert.Equal(expected.Modulus, n);
        Assert.Equal(expected.Exponent, e);
        Assert.Equal(2048, RsaKeyDer.BitLength(n));
    }

    [Fact]
    public void Reads_a_bare_RSAPublicKey()
    {
        Assert.Equal(RsaKeyDer.Outcome.Rsa, RsaKeyDer.TryRead(Key.ExportRSAPublicKey(), out var n, out var e));
        Assert.Equal(Key.ExportParameters(false).Modulus, n);
        Assert.Equal(new byte[] { 1, 0, 1 }, e);
    }

    [Fact]
    public void An_EC_key_is_not_RSA()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(RsaKeyDer.Outcome.NotRsa, RsaKeyDer.TryRead(ec.ExportSubjectPublicKeyInfo(), out _, out _));
    }

    [Fact]
    public void A_negative_or_zero_modulus_is_refused()
    {
        // SEQUENCE { INTEGER -1, INTEGER 3 } and SEQUENCE { INTEGER 0, INTEGER 3 }
        Assert.Equal(RsaKeyDer.Outcome.NotPositive, RsaKeyDer.TryRead(new byte[] { 0x30, 0x06, 0x02, 0x01, 0xFF, 0x02, 0x01, 0x03 }, out _, out _));
        Assert.Equal(RsaKeyDer.Outcome.NotPositive, RsaKeyDer.TryRead(new byte[] { 0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x03 }, out _, out _));
    }

    [Fact]
    public void Truncated_padded_and_indefinite_forms_are_malformed()
    {
        var spki = Key.ExportSubjectPublicKeyInfo();
        for (int cut = 0; cut < spki.Length; cut += 7)
            Assert.Equal(RsaKeyDer.Outcome.Malformed, RsaKeyDer.TryRead(spki.Take(cut).ToArray(), out _, out _));
        Assert.Equal(RsaKeyDer.Outcome.Malformed, RsaKeyDer.TryRead(spki.Concat(new byte[] { 0 }).ToArray(), out _, out _));
        var indefinite = (byte[])spki.Clone();
        indefinite[1] = 0x80;
        Assert.Equal(RsaKeyDer.Outcome.Malformed, RsaKeyDer.TryRead(indefinite, out _, out _));
        Assert.Equal(RsaKeyDer.Outcome.Malformed, RsaKeyDer.TryRead(new byte[] { 0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF }, out _, out _));
    }
}
