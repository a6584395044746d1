using System;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dns;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestSigning;

namespace MailAuth.Tests.Dkim;

/// <summary>
/// The DKIM key cache is an object its owner passes in, with bounds that hold: key records (oldest forgotten first),
/// imported RSA objects per key, pooled hash objects; and verification through it stays correct after evictions.
/// </summary>
public sealed class DkimKeyCacheTests
{
    [Fact]
    public void Key_records_beyond_the_capacity_forget_the_oldest()
    {
        var cache = new DkimKeyCache(3);
        var first = cache.Record("v=DKIM1; p=AAAA; n=0");
        for (int i = 1; i < 10; i++) cache.Record($"v=DKIM1; p=AAAA; n={i}");
        Assert.Equal(3, cache.Count);
        Assert.Same(cache.Record("v=DKIM1; p=AAAA; n=9"), cache.Record("v=DKIM1; p=AAAA; n=9"));
        Assert.NotSame(first, cache.Record("v=DKIM1; p=AAAA; n=0"));
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Resource_records_are_remembered_one_per_key_record()
    {
        var cache = new DkimKeyCache(2);
        var text = string.Concat(ZoneKeyRecord("rsa2048"));
        var again = MailAuth.Dns.DnsResourceRecord.Txt("rsa2048._domainkey.dkim.test", ZoneKeyRecord("rsa2048"));
        Assert.Same(cache.Record(again), cache.Record(again));
        for (int i = 0; i < 100; i++) cache.Record(MailAuth.Dns.DnsResourceRecord.Txt("rsa2048._domainkey.dkim.test", ZoneKeyRecord("rsa2048")));
        Assert.Equal((1, 1), (cache.Count, cache.ResourceCount));
        Assert.Same(cache.Record(text), cache.Record(again));
        for (int i = 0; i < 10; i++) cache.Record(MailAuth.Dns.DnsResourceRecord.Txt("k._domainkey.dkim.test", new[] { $"v=DKIM1; p=AAAA; n={i}" }));
        Assert.Equal((2, 2), (cache.Count, cache.ResourceCount));
    }

    [Fact]
    public void Capacity_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DkimKeyCache(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DkimSignatureVerifier(new InMemoryResolver(), null, null, maxSignatures: 0));
    }

    [Fact]
    public void Imported_rsa_objects_are_bounded_per_key_and_released_with_the_record()
    {
        var cache = new DkimKeyCache(1);
        var record = cache.Record(string.Concat(ZoneKeyRecord("rsa2048")));
        var key = record.PublicKey;
        var rented = Enumerable.Range(0, cache.PoolSize * 3).Select(_ => cache.RentRsa(key)).ToList();
        Assert.Equal(0, cache.ImportedKeyCount);
        foreach (var rsa in rented) cache.ReturnRsa(key, rsa);
        Assert.Equal(cache.PoolSize, cache.ImportedKeyCount);

        // Renting again hands out the pooled objects; a new record in the one-record cache evicts the key and disposes them.
        Assert.Same(rented[cache.PoolSize - 1], cache.RentRsa(key));
        Assert.Equal(cache.PoolSize - 1, cache.ImportedKeyCount);
        cache.Record(string.Concat(ZoneKeyRecord("rsa1024")));
        Assert.Equal(0, cache.ImportedKeyCount);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Pooled_hash_objects_are_bounded()
    {
        var cache = new DkimKeyCache();
        var writers = Enumerable.Range(0, cache.PoolSize * 3)
            .Select(i => cache.RentWriter(i % 2 == 0 ? DkimHashAlgorithm.Sha256 : DkimHashAlgorithm.Sha1)).ToList();
        foreach (var writer in writers) cache.ReturnWriter(writer);
        Assert.Equal(2 * cache.PoolSize, cache.HashObjectCount);
    }

    [Fact]
    public async Task Verifiers_that_share_a_cache_parse_and_import_a_key_once()
    {
        var signed = SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var cache = new DkimKeyCache();
        var resolver = KeyResolver("rsa2048");
        for (int i = 0; i < 3; i++)
            Assert.Equal(DkimResult.Pass, Assert.Single(await new DkimSignatureVerifier(resolver, null, cache).VerifyAsync(signed)).Result);
        Assert.Equal(1, cache.Count);
        Assert.Equal(1, cache.ImportedKeyCount);
        Assert.NotSame(new DkimSignatureVerifier(resolver).KeyCache, new DkimSignatureVerifier(resolver).KeyCache);
    }

    [Fact]
    public async Task Verification_stays_right_while_a_small_cache_keeps_evicting()
    {
        var rsa2048 = SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var rsa1024 = SignWithDkimpy(Message("plain.eml"), "rsa1024.key", "dkim.test", "rsa1024");
        var ed25519 = SignWithDkimpy(Message("plain.eml"), "ed25519.seed", "dkim.test", "ed25519", "ed25519-sha256");
        var wrong = SignWithDkimpy(Message("plain.eml"), "rsa1024.key", "dkim.test", "rsa2048");
        var verifier = new DkimSignatureVerifier(KeyResolver("rsa2048", "rsa1024", "ed25519"), null, new DkimKeyCache(1));
        for (int round = 0; round < 3; round++)
        {
            foreach (var message in new[] { rsa2048, rsa1024, ed25519 })
                Assert.Equal(DkimResult.Pass, Assert.Single(await verifier.VerifyAsync(message)).Result);
            Assert.Equal(DkimResult.Fail, Assert.Single(await verifier.VerifyAsync(wrong)).Result);
            Assert.Equal(1, verifier.KeyCache.Count);
            Assert.True(verifier.KeyCache.ImportedKeyCount <= verifier.KeyCache.PoolSize);
        }
    }
}
