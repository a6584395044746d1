using System;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Records;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dns;

[Collection(KnotDnsCollection.Name)]
public sealed class DnsClientResolverTests
{
    private readonly KnotDnsServer _server;

    public DnsClientResolverTests(KnotDnsServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Finds_mx_records_on_the_real_server()
    {
        var answer = await _server.CreateResolver().QueryAsync("mx.test", DnsRecordType.MX);
        Assert.Equal(DnsResponseStatus.NoError, answer.Status);
        Assert.Equal(new[] { "mx1.mx.test", "mx2.mx.test" }, answer.Records.OrderBy(r => r.Preference).Select(r => r.Target));
        Assert.Equal(RecordStatus.Found, answer.RecordStatus);
    }

    [Fact]
    public async Task Nxdomain_is_not_found_not_an_error()
    {
        var answer = await _server.CreateResolver().QueryAsync("no-such-name.mx.test", DnsRecordType.TXT);
        Assert.Equal(DnsResponseStatus.NxDomain, answer.Status);
        Assert.Equal(RecordStatus.NotFound, answer.RecordStatus);
        Assert.True(answer.IsVoid);
    }

    [Fact]
    public async Task Nodata_is_not_found_not_an_error()
    {
        var answer = await _server.CreateResolver().QueryAsync("nomx.mx.test", DnsRecordType.MX);
        Assert.Equal(DnsResponseStatus.NoError, answer.Status);
        Assert.Empty(answer.Records);
        Assert.Equal(RecordStatus.NotFound, answer.RecordStatus);
    }

    [Fact]
    public async Task Names_outside_every_test_zone_are_nxdomain_through_the_root_zone()
    {
        var answer = await _server.CreateResolver().QueryAsync("_dmarc.example.com", DnsRecordType.TXT);
        Assert.Equal(DnsResponseStatus.NxDomain, answer.Status);
    }

    [Fact]
    public async Task Servfail_is_an_error_of_kind_server_failure()
    {
        var answer = await _server.CreateResolver(retries: 0).QueryAsync("broken.test", DnsRecordType.TXT);
        Assert.Equal(DnsResponseStatus.Error, answer.Status);
        Assert.Equal(DnsErrorKind.ServerFailure, answer.ErrorKind);
        Assert.Equal(RecordStatus.Error, answer.RecordStatus);
    }

    [Fact]
    public async Task Truncated_udp_answer_is_retried_over_tcp()
    {
        var answer = await _server.CreateResolver().QueryAsync("big.noudp.test", DnsRecordType.TXT);
        Assert.Equal(DnsResponseStatus.NoError, answer.Status);
        var txt = Assert.Single(answer.Records);
        Assert.Equal(6, txt.Text.Count);
        Assert.Equal(6 * 200, txt.JoinedText.Length);
    }

    [Fact]
    public async Task Without_tcp_fallback_the_truncated_answer_is_not_taken_for_a_missing_record()
    {
        var resolver = new DnsClientResolver(new DnsResolverOptions { Servers = new[] { _server.Endpoint }, UseTcpFallback = false, Retries = 0, Timeout = TimeSpan.FromSeconds(2) });
        var answer = await resolver.QueryAsync("big.noudp.test", DnsRecordType.TXT);
        Assert.NotEqual(RecordStatus.Found, answer.RecordStatus);
    }

    [Fact]
    public async Task Timeout_is_an_error_never_a_missing_record()
    {
        using var silent = new SilentDnsServer();
        var resolver = new DnsClientResolver(new DnsResolverOptions { Servers = new[] { silent.Endpoint }, Timeout = TimeSpan.FromMilliseconds(300), Retries = 1 });
        var answer = await resolver.QueryAsync("mx.test", DnsRecordType.MX);
        Assert.Equal(DnsResponseStatus.Error, answer.Status);
        Assert.Equal(DnsErrorKind.Timeout, answer.ErrorKind);
        Assert.False(answer.IsVoid);
    }

    [Fact]
    public async Task Cname_is_followed_to_the_target_records()
    {
        var answer = await _server.CreateResolver().QueryAsync("mxalias.mx.test", DnsRecordType.A);
        Assert.Equal(new[] { "mx1.mx.test" }, answer.CnameChain);
        Assert.Equal("192.0.2.25", Assert.Single(answer.Records).Address.ToString());
    }

    [Fact]
    public async Task Null_mx_target_is_the_empty_name()
    {
        var answer = await _server.CreateResolver().QueryAsync("nullmx.mx.test", DnsRecordType.MX);
        var mx = Assert.Single(answer.Records);
        Assert.Equal(0, mx.Preference);
        Assert.Equal(string.Empty, mx.Target);
    }
}
