using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dns;

[Collection(KnotDnsCollection.Name)]
public sealed class StubResolverTests
{
    private readonly KnotDnsServer _server;

    public StubResolverTests(KnotDnsServerFixture fixture) => _server = fixture.Server;

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
    public async Task Tcp_only_reads_the_same_records_as_udp()
    {
        var tcp = new StubResolver(new DnsResolverOptions { Servers = new[] { _server.Endpoint }, UseTcpOnly = true, Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
        var udp = _server.CreateResolver();
        foreach (var (name, type) in new[] { ("mx.test", DnsRecordType.MX), ("mxalias.mx.test", DnsRecordType.A), ("big.noudp.test", DnsRecordType.TXT), ("no-such-name.mx.test", DnsRecordType.TXT) })
        {
            var overTcp = await tcp.QueryAsync(name, type);
            var overUdp = await udp.QueryAsync(name, type);
            Assert.Equal(overUdp.Status, overTcp.Status);
            Assert.Equal(overUdp.CnameChain, overTcp.CnameChain);
            Assert.Equal(overUdp.Records.Select(r => r.ToString()).OrderBy(t => t), overTcp.Records.Select(r => r.ToString()).OrderBy(t => t));
        }
    }

    [Fact]
    public async Task A_server_that_sends_garbage_over_tcp_hands_over_to_the_next()
    {
        using var bad = new MisbehavingDnsServer(q => q.OverTcp ? DnsReply.Garbage(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 }) : DnsReply.Truncate());
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { bad.Endpoint, _server.Endpoint }, Timeout = TimeSpan.FromSeconds(2), Retries = 0 });
        var answer = await resolver.QueryAsync("mx.test", DnsRecordType.MX);
        Assert.Equal(DnsResponseStatus.NoError, answer.Status);
        Assert.Equal(2, answer.Records.Count);
        Assert.Contains(bad.Asked, q => q.OverTcp);
    }

    [Fact]
    public async Task Without_tcp_fallback_the_truncated_answer_is_not_taken_for_a_missing_record()
    {
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { _server.Endpoint }, UseTcpFallback = false, Retries = 0, Timeout = TimeSpan.FromSeconds(2) });
        var answer = await resolver.QueryAsync("big.noudp.test", DnsRecordType.TXT);
        Assert.NotEqual(RecordStatus.Found, answer.RecordStatus);
    }

    [Fact]
    public async Task Timeout_is_an_error_never_a_missing_record()
    {
        using var silent = new SilentDnsServer();
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { silent.Endpoint }, Timeout = TimeSpan.FromMilliseconds(300), Retries = 1 });
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

    [Fact]
    public async Task Concurrent_questions_on_pooled_sockets_each_get_their_own_answer()
    {
        var resolver = _server.CreateResolver();
        var questions = Enumerable.Range(0, 300).Select(i => (i % 3) switch
        {
            0 => ("mx.test", DnsRecordType.MX),
            1 => ("mxalias.mx.test", DnsRecordType.A),
            _ => ($"no-such-name-{i}.mx.test", DnsRecordType.TXT),
        }).ToList();
        var answers = await Task.WhenAll(questions.Select(q => resolver.QueryAsync(q.Item1, q.Item2)));
        for (int i = 0; i < questions.Count; i++)
        {
            var canonical = answers[i].CanonicalName;
            Assert.All(answers[i].Records, r => Assert.Equal(canonical, r.Name));
            switch (i % 3)
            {
                case 0: Assert.Equal(new[] { "mx1.mx.test", "mx2.mx.test" }, answers[i].Records.Select(r => r.Target).OrderBy(t => t)); break;
                case 1: Assert.Equal("192.0.2.25", Assert.Single(answers[i].Records).Address.ToString()); break;
                default: Assert.Equal(DnsResponseStatus.NxDomain, answers[i].Status); break;
            }
        }
    }

    [Fact]
    public async Task After_a_timeout_the_same_resolver_still_gets_right_answers()
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _server.Port), "slow");
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { proxy.Endpoint }, Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        var slow = await resolver.QueryAsync("slow.ready.test", DnsRecordType.TXT);
        Assert.Equal(DnsErrorKind.Timeout, slow.ErrorKind);
        for (int i = 0; i < 5; i++)
        {
            var answer = await resolver.QueryAsync("mx.test", DnsRecordType.MX);
            Assert.Equal(DnsResponseStatus.NoError, answer.Status);
            Assert.Equal(2, answer.Records.Count);
        }
    }

    [Fact]
    public async Task Cancelling_a_question_throws_instead_of_reporting_a_timeout()
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _server.Port), "slow");
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { proxy.Endpoint }, Timeout = TimeSpan.FromSeconds(60), Retries = 0 });
        using var cancel = new CancellationTokenSource();
        var query = resolver.QueryAsync("slow.ready.test", DnsRecordType.TXT, cancel.Token);
        while (proxy.Silenced == 0) await Task.Delay(20);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
    }

    [Fact]
    public async Task An_answer_that_does_not_echo_the_question_id_is_dropped()
    {
        // Relays each question to Knot and returns the answer with its ID changed, as a blind spoofer would guess wrong.
        using var spoofer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var relay = Task.Run(async () =>
        {
            var query = await spoofer.ReceiveAsync();
            using var upstream = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            await upstream.SendAsync(query.Buffer, query.Buffer.Length, new IPEndPoint(IPAddress.Loopback, _server.Port));
            var answer = (await upstream.ReceiveAsync()).Buffer;
            answer[0] ^= 0x5A;
            await spoofer.SendAsync(answer, answer.Length, query.RemoteEndPoint);
        });
        var endpoint = new DnsServerEndpoint(IPAddress.Loopback, ((IPEndPoint)spoofer.Client.LocalEndPoint).Port);
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { endpoint }, Timeout = TimeSpan.FromSeconds(1), Retries = 0 });
        var result = await resolver.QueryAsync("mx.test", DnsRecordType.MX);
        await relay;
        Assert.Equal(DnsResponseStatus.Error, result.Status);
        Assert.Equal(DnsErrorKind.Timeout, result.ErrorKind);
    }

    [Fact]
    public async Task A_second_server_answers_when_the_first_is_silent()
    {
        using var silent = new SilentDnsServer();
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { silent.Endpoint, _server.Endpoint }, Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        var answer = await resolver.QueryAsync("mx.test", DnsRecordType.MX);
        Assert.Equal(DnsResponseStatus.NoError, answer.Status);
        Assert.Equal(2, answer.Records.Count);
    }
}
