using System;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Tests.Infrastructure;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestSigning;

namespace MailAuth.Tests.Dkim;

/// <summary>
/// Keys are decoded once per key record and reused (RSA keys imported once per key and thread, Ed25519 points decoded
/// once): reuse must never mix keys up, and a key that decodes but is no usable point must verify nothing.
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class DkimPublicKeyTests
{
    private readonly KnotDnsServer _server;

    public DkimPublicKeyTests(KnotDnsServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Two_rsa_keys_used_in_turn_each_verify_only_their_own_signature()
    {
        var signed = SignWithDkimpy(SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048"), "rsa1024.key", "dkim.test", "rsa1024");
        var wrongKey = SignWithDkimpy(Message("plain.eml"), "rsa1024.key", "dkim.test", "rsa2048");
        var verifier = new DkimSignatureVerifier(_server.CreateResolver());
        for (int round = 0; round < 3; round++)
        {
            var both = await verifier.VerifyAsync(signed);
            Assert.Equal(new[] { ("rsa1024", true), ("rsa2048", true) }, both.Select(r => (r.Selector, r.SignatureMatches == true)));
            var wrong = Assert.Single(await verifier.VerifyAsync(wrongKey));
            Assert.Equal((DkimResult.Fail, false), (wrong.Result, wrong.SignatureMatches));
        }
    }

    /// <summary>
    /// 0x01 followed by zeros encodes the neutral point, of order 1: 32 bytes, so p= decodes, but the point check made once
    /// per key refuses it; verifying must then report a header-signature mismatch (not throw), and the real key still passes.
    /// </summary>
    [Fact]
    public async Task Ed25519_key_that_is_not_a_usable_point_verifies_nothing()
    {
        var signed = SignWithDkimpy(Message("plain.eml"), "ed25519.seed", "dkim.test", "ed25519", "ed25519-sha256");
        var neutral = new byte[32];
        neutral[0] = 1;
        var resolver = new InMemoryResolver().AddTxt("ed25519._domainkey.dkim.test", "v=DKIM1; k=ed25519; p=" + Convert.ToBase64String(neutral));
        var r = Assert.Single(await new DkimSignatureVerifier(resolver).VerifyAsync(signed));
        Assert.Equal((DkimResult.Fail, (bool?)true, (bool?)false, 256), (r.Result, r.BodyHashMatches, r.SignatureMatches, r.KeySize ?? 0));

        var published = new InMemoryResolver().AddTxt("ed25519._domainkey.dkim.test", "v=DKIM1; k=ed25519; p=hEtCV34HQ3w1ECV6oKqIZz6lYt+zvOA/NhT97/yHb+w=");
        Assert.Equal(DkimResult.Pass, Assert.Single(await new DkimSignatureVerifier(published).VerifyAsync(signed)).Result);
    }
}
