using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MailAuth.Arc;
using MailAuth.Dkim;
using MailAuth.Tests.Infrastructure;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestSigning;

namespace MailAuth.Tests.Dkim;

/// <summary>
/// ARC chains really sealed by dkimpy's arc_sign (the sealer key published by Knot at arc._domainkey.dkim.test),
/// validated by MailAuth and, for the verdict, by dkimpy's arc_verify too.
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class ArcChainVerifierTests
{
    private readonly KnotDnsServer _server;

    public ArcChainVerifierTests(KnotDnsServerFixture fixture) => _server = fixture.Server;

    private Task<ArcChainResult> Verify(byte[] message) => new ArcChainVerifier(_server.CreateResolver()).VerifyAsync(new MemoryStream(message), "test.eml");

    private static byte[] Prepend(string header, byte[] message) => Encoding.ASCII.GetBytes(header + "\r\n").Concat(message).ToArray();

    /// <summary>A DKIM-signed message sealed by relay1 (cv=none), then by relay2 (cv=pass).</summary>
    private byte[] TwoHops(bool changeBodyBetween = false)
    {
        var signed = SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var hop1 = ArcSealWithDkimpy(Prepend("Authentication-Results: relay1.dkim.test; dkim=pass header.d=dkim.test; spf=pass smtp.mailfrom=dkim.test", signed), "relay1.dkim.test", _server.Address);
        if (changeBodyBetween) hop1 = hop1.Concat(Encoding.ASCII.GetBytes("-- \r\nMailing list footer\r\n")).ToArray();
        return ArcSealWithDkimpy(Prepend("Authentication-Results: relay2.dkim.test; arc=pass; dkim=" + (changeBodyBetween ? "fail" : "pass"), hop1), "relay2.dkim.test", _server.Address);
    }

    [Fact]
    public async Task Message_without_arc_headers_is_none()
    {
        var r = await Verify(Message("plain.eml"));
        Assert.Equal(ArcChainValidation.None, r.Result);
        Assert.Equal(0, r.InstanceCount);
    }

    [Fact]
    public async Task Two_hop_chain_passes_like_dkimpy_says()
    {
        var message = TwoHops();
        var r = await Verify(message);
        Assert.True(r.Result == ArcChainValidation.Pass, r.Reason);
        Assert.StartsWith("pass", VerifyArcWithDkimpy(message, _server.Address));
        Assert.Equal(2, r.InstanceCount);
        Assert.Equal(new[] { 1, 2 }, r.Sets.Select(s => s.Instance));
        Assert.Equal(new[] { "none", "pass" }, r.Sets.Select(s => s.ChainValidation));
        Assert.All(r.Sets, s => Assert.Equal((true, true, "dkim.test", "arc"), (s.SealValid, s.MessageSignatureValid, s.SealDomain, s.SealSelector)));
        Assert.StartsWith("relay1.dkim.test; dkim=pass", r.Sets[0].AuthenticationResults.Replace("i=1; ", ""));
        Assert.Equal(0, r.OldestPass);
        Assert.Equal("test.eml", r.Source);
    }

    [Fact]
    public async Task Body_changed_between_hops_still_passes_with_oldest_pass_2()
    {
        var message = TwoHops(changeBodyBetween: true);
        var r = await Verify(message);
        Assert.True(r.Result == ArcChainValidation.Pass, r.Reason);
        Assert.StartsWith("pass", VerifyArcWithDkimpy(message, _server.Address));
        Assert.False(r.Sets[0].MessageSignatureValid);
        Assert.Contains("body hash mismatch", r.Sets[0].MessageSignatureReason);
        Assert.True(r.Sets[1].MessageSignatureValid);
        Assert.Equal(2, r.OldestPass);
    }

    [Fact]
    public async Task Body_changed_after_the_last_hop_fails()
    {
        var message = TwoHops().Concat(Encoding.ASCII.GetBytes("added after sealing\r\n")).ToArray();
        var r = await Verify(message);
        Assert.Equal(ArcChainValidation.Fail, r.Result);
        Assert.StartsWith("fail", VerifyArcWithDkimpy(message, _server.Address));
        Assert.Contains("ARC-Message-Signature (i=2)", r.Reason);
        Assert.Null(r.OldestPass);
    }

    [Fact]
    public async Task Tampered_seal_fails()
    {
        var text = Latin1(TwoHops());
        // change the chain-validation claim of the first seal; its signature no longer verifies
        var i = text.IndexOf("cv=none", System.StringComparison.Ordinal);
        var message = Encoding.Latin1.GetBytes(text.Substring(0, i) + "cv=none; x=1" + text.Substring(i + 7));
        var r = await Verify(message);
        Assert.Equal(ArcChainValidation.Fail, r.Result);
        Assert.StartsWith("fail", VerifyArcWithDkimpy(message, _server.Address));
        Assert.False(r.Sets[0].SealValid);
    }

    [Fact]
    public async Task Missing_instance_fails_on_structure()
    {
        var text = Latin1(TwoHops());
        var lines = text.Split("\r\n").ToList();
        int seal1 = lines.FindIndex(l => l.StartsWith("ARC-Seal: i=1"));
        lines.RemoveAt(seal1);
        while (lines[seal1].StartsWith(" ") || lines[seal1].StartsWith("\t")) lines.RemoveAt(seal1);
        var r = await Verify(Encoding.Latin1.GetBytes(string.Join("\r\n", lines)));
        Assert.Equal(ArcChainValidation.Fail, r.Result);
        Assert.Equal("instance 1 has no ARC-Seal", r.Reason);
    }

    [Fact]
    public async Task Dns_failure_for_a_sealer_key_is_temperror()
    {
        var text = Latin1(TwoHops());
        var message = Encoding.Latin1.GetBytes(text.Replace("d=dkim.test; s=arc", "d=broken.test; s=arc"));
        var r = await Verify(message);
        Assert.Equal(ArcChainValidation.TempError, r.Result);
        Assert.Contains("ServerFailure", r.Reason);
    }

    /// <summary>RFC 8617 §4.1.2: the ARC header fields must not be covered by an ARC-Message-Signature; a chain whose AMS lists one fails.</summary>
    [Theory]
    [InlineData("ARC-Seal")]
    [InlineData("ARC-Message-Signature")]
    [InlineData("ARC-Authentication-Results")]
    public async Task Message_signature_that_signs_an_arc_header_field_fails(string field)
    {
        var signed = SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var message = ArcSealWithDkimpy(Prepend("Authentication-Results: relay1.dkim.test; dkim=pass header.d=dkim.test", signed), "relay1.dkim.test", _server.Address,
            headers: "from:to:subject:date:" + field.ToLowerInvariant());
        Assert.Contains(field.ToLowerInvariant(), Latin1(message).Substring(Latin1(message).IndexOf("ARC-Message-Signature:", System.StringComparison.Ordinal)).Split("bh=")[0]);
        if (field == "ARC-Seal") Assert.StartsWith("fail", VerifyArcWithDkimpy(message, _server.Address));
        var r = await Verify(message);
        Assert.Equal(ArcChainValidation.Fail, r.Result);
        Assert.Contains("ARC-Message-Signature of instance 1", r.Reason);
        Assert.Contains("h= covers " + field, r.Reason);
        Assert.Contains("RFC 8617 §4.1.2", r.Reason);
    }

    /// <summary>RFC 8617 §4.1.1: i= is the first tag of an ARC-Authentication-Results; one that is not is named as the cause.</summary>
    [Fact]
    public async Task Authentication_results_whose_instance_is_not_its_first_tag_fails_naming_it()
    {
        var text = Latin1(TwoHops());
        var start = text.IndexOf("ARC-Authentication-Results: i=1; relay1.dkim.test;", System.StringComparison.Ordinal);
        Assert.True(start >= 0, text);
        var message = Encoding.Latin1.GetBytes(text.Substring(0, start) + "ARC-Authentication-Results: relay1.dkim.test; i=1;"
            + text.Substring(start + "ARC-Authentication-Results: i=1; relay1.dkim.test;".Length));
        var r = await Verify(message);
        Assert.Equal(ArcChainValidation.Fail, r.Result);
        Assert.StartsWith("fail", VerifyArcWithDkimpy(message, _server.Address));
        Assert.Contains("ARC-Authentication-Results", r.Reason);
        Assert.Contains("RFC 8617 §4.1.1", r.Reason);
        Assert.DoesNotContain("ARC-Seal", r.Reason);
    }

    /// <summary>
    /// RFC 8617 §5.1.1: each ARC-Seal covers the ARC-Authentication-Results and ARC-Message-Signature of its instance and of
    /// every instance before it. Changing the first set's AAR or AMS breaks both seals (the AMS change breaks its own signature
    /// too); MailAuth's seal verification and dkimpy's arc_verify agree.
    /// </summary>
    [Theory]
    [InlineData("relay1.dkim.test; dkim=pass", "relay1.dkim.test; dkim=fail")]
    [InlineData("ARC-Message-Signature: i=1; ", "ARC-Message-Signature: i=1; x=253402300799; ")]
    public async Task Changing_an_earlier_set_breaks_every_seal_that_covers_it(string from, string to)
    {
        var message = Replace(TwoHops(), from, to);
        var r = await Verify(message);
        Assert.StartsWith("fail", VerifyArcWithDkimpy(message, _server.Address));
        Assert.Equal(ArcChainValidation.Fail, r.Result);
        Assert.Equal(new bool?[] { false, false }, r.Sets.Select(set => set.SealValid));
        Assert.Contains("ARC-Seal of instance", r.Reason);
    }

    /// <summary>The seals of an untouched chain verify one by one, oldest first, as RFC 8617 §5.1.1 builds them.</summary>
    [Fact]
    public async Task Three_hop_chain_passes_and_every_seal_verifies()
    {
        var message = ArcSealWithDkimpy(Prepend("Authentication-Results: relay3.dkim.test; arc=pass", TwoHops()), "relay3.dkim.test", _server.Address);
        var r = await Verify(message);
        Assert.True(r.Result == ArcChainValidation.Pass, r.Reason);
        Assert.StartsWith("pass", VerifyArcWithDkimpy(message, _server.Address));
        Assert.Equal(new bool?[] { true, true, true }, r.Sets.Select(set => set.SealValid));
        Assert.Equal(new[] { "none", "pass", "pass" }, r.Sets.Select(set => set.ChainValidation));
    }
}
