using System;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dkim;

/// <summary>Get-DkimRecord's core against the real Knot server and tests/data/zones/dkim.test.zone.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class DkimKeyInspectorTests
{
    private readonly KnotDnsServer _server;

    public DkimKeyInspectorTests(KnotDnsServerFixture fixture) => _server = fixture.Server;

    private Task<DkimRecordResult> Inspect(string selector, string domain = "dkim.test") =>
        new DkimKeyInspector(_server.CreateResolver()).InspectAsync(domain, selector);

    private static string[] Codes(DkimRecordResult r) => r.Findings.Select(f => f.Code).ToArray();

    [Fact]
    public async Task Rsa_2048_key_is_found_with_its_size_and_no_problems()
    {
        var r = await Inspect("rsa2048");
        Assert.Equal(RecordStatus.Found, r.Status);
        Assert.Equal("rsa2048._domainkey.dkim.test", r.Name);
        Assert.Equal("rsa", r.KeyType);
        Assert.Equal(2048, r.KeySize);
        Assert.Equal("DKIM1", r.Version);
        Assert.False(r.Revoked);
        Assert.Null(r.CnameTarget);
        Assert.StartsWith("v=DKIM1; k=rsa; p=MII", r.Record);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public async Task Rsa_1024_key_is_a_weak_key_warning()
    {
        var r = await Inspect("rsa1024");
        Assert.Equal(1024, r.KeySize);
        var f = Assert.Single(r.Findings);
        Assert.Equal(("DkimKeyWeak", FindingSeverity.Warning, "RFC 8301 §3.2"), (f.Code, f.Severity, f.Reference));
        Assert.Contains("2048", f.Message);
    }

    [Fact]
    public async Task Rsa_key_under_1024_bits_is_an_error()
    {
        var r = await Inspect("rsa512");
        Assert.Equal(512, r.KeySize);
        Assert.Equal(FindingSeverity.Error, Assert.Single(r.Findings, f => f.Code == "DkimKeyTooShort").Severity);
    }

    [Fact]
    public async Task Ed25519_key_is_recognized()
    {
        var r = await Inspect("ed25519");
        Assert.Equal(("ed25519", 256), (r.KeyType, r.KeySize));
        Assert.Empty(r.Findings);
    }

    [Fact]
    public async Task Empty_p_is_a_revoked_key()
    {
        var r = await Inspect("revoked");
        Assert.Equal(RecordStatus.Found, r.Status);
        Assert.True(r.Revoked);
        Assert.Null(r.KeySize);
        Assert.Contains("DkimKeyRevoked", Codes(r));
    }

    [Fact]
    public async Task Testing_flag_hash_and_service_tags_are_reported()
    {
        var r = await Inspect("testing");
        Assert.Equal(new[] { "y" }, r.Flags);
        Assert.True(r.Testing);
        Assert.Equal(new[] { "sha256" }, r.HashAlgorithms);
        Assert.Equal(new[] { "email" }, r.ServiceTypes);
        Assert.Equal(new[] { "DkimKeyTesting" }, Codes(r));
    }

    [Fact]
    public async Task Bad_base64_is_a_finding_not_an_exception()
    {
        var r = await Inspect("badbase64");
        Assert.Equal(RecordStatus.Found, r.Status);
        Assert.Equal("rsa", r.KeyType);
        Assert.Null(r.KeySize);
        var f = Assert.Single(r.Findings);
        Assert.Equal(("DkimKeyInvalidBase64", "RFC 6376 §3.6.1"), (f.Code, f.Reference));
    }

    [Theory]
    [InlineData("garbage", "DkimNotAKeyRecord")]
    [InlineData("notakey", "DkimKeySyntax")]
    [InlineData("unknownkind", "DkimKeyUnknownType")]
    [InlineData("versionlater", "DkimKeySyntax")]
    [InlineData("webonly", "DkimKeyServiceType")]
    [InlineData("sha1only", "DkimKeySha1Only")]
    [InlineData("double", "DkimMultipleKeyRecords")]
    [InlineData("unknownflag", "DkimKeyUnknownFlag")]
    public async Task Problem_records_give_their_finding(string selector, string code)
    {
        var r = await Inspect(selector);
        Assert.Equal(RecordStatus.Found, r.Status);
        var f = Assert.Single(r.Findings, x => x.Code == code);
        Assert.StartsWith("RFC ", f.Reference);
        Assert.Equal(r.Name, f.Subject);
    }

    [Fact]
    public async Task Ses_style_cname_is_followed_and_a_key_without_version_is_valid()
    {
        var r = await Inspect("abcdefghijklmnopqrstuvwxyz234567");
        Assert.Equal(RecordStatus.Found, r.Status);
        Assert.Equal("abcdefghijklmnopqrstuvwxyz234567.dkim.amazonses.com", r.CnameTarget);
        Assert.Equal(("rsa", 2048), (r.KeyType, r.KeySize));
        Assert.Null(r.Version);
        Assert.StartsWith("p=MII", r.Record);
        Assert.All(r.Findings, f => Assert.Equal(FindingSeverity.Info, f.Severity));
        Assert.Equal(new[] { "DkimKeyIsCname", "DkimKeyNoVersion" }, Codes(r));
    }

    [Fact]
    public async Task Cname_to_a_missing_key_is_not_found_and_names_the_target()
    {
        var r = await Inspect("dangling");
        Assert.Equal(RecordStatus.NotFound, r.Status);
        Assert.Equal("missingtoken.dkim.amazonses.com", r.CnameTarget);
        Assert.Contains("DkimKeyNotFound", Codes(r));
    }

    [Fact]
    public async Task Missing_selector_is_not_found()
    {
        var r = await Inspect("nosuchselector");
        Assert.Equal(RecordStatus.NotFound, r.Status);
        Assert.Equal(DnsErrorKind.None, r.ErrorKind);
        Assert.Null(r.KeyType);
        Assert.Equal(new[] { "DkimKeyNotFound" }, Codes(r));
    }

    [Fact]
    public async Task Servfail_is_an_error_not_a_missing_key()
    {
        var r = await Inspect("sel", "broken.test");
        Assert.Equal(RecordStatus.Error, r.Status);
        Assert.Equal(DnsErrorKind.ServerFailure, r.ErrorKind);
        Assert.Equal(new[] { "DkimKeyLookupFailed" }, Codes(r));
    }

    [Fact]
    public async Task Timeout_is_an_error_not_a_missing_key()
    {
        using var silent = new SilentDnsServer();
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { silent.Endpoint }, Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        var r = await new DkimKeyInspector(resolver).InspectAsync("dkim.test", "rsa2048");
        Assert.Equal((RecordStatus.Error, DnsErrorKind.Timeout), (r.Status, r.ErrorKind));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad selector")]
    [InlineData("a..b")]
    public async Task Invalid_selector_is_input_error(string selector)
    {
        var ex = await Assert.ThrowsAsync<MailAuthInputException>(() => new DkimKeyInspector(new InMemoryResolver()).InspectAsync("dkim.test", selector));
        Assert.Equal(DkimKeyInspector.InvalidSelectorErrorId, ex.ErrorId);
    }

    [Fact]
    public async Task Selector_is_normalized_to_lower_case()
    {
        var r = await Inspect("RSA2048");
        Assert.Equal(("rsa2048", RecordStatus.Found), (r.Selector, r.Status));
    }
}
