using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Records;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dns;

/// <summary>
/// The per-pipeline DNS cache: a question is asked once, a failure stays a failure (never NotFound), and the
/// cache lives as long as its <see cref="CachingResolver"/> (one pipeline), not as long as the records' TTLs.
/// Counted with <see cref="InMemoryResolver.QueryCount"/> and, against Knot, with a relaying proxy that counts
/// the questions that really reach the network.
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class CachingResolverTests
{
    private readonly KnotDnsServer _server;

    public CachingResolverTests(KnotDnsServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Repeated_question_is_answered_from_the_cache()
    {
        var zone = new InMemoryResolver().AddTxt("example.test", "v=spf1 -all");
        var cache = new CachingResolver(zone);

        var first = await cache.QueryAsync("example.test", DnsRecordType.TXT);
        var again = await cache.QueryAsync("EXAMPLE.test.", DnsRecordType.TXT);

        Assert.Equal(1, zone.QueryCount);
        Assert.Same(first, again);
        Assert.Equal("v=spf1 -all", Assert.Single(again.TxtStrings()));
    }

    [Fact]
    public async Task Another_type_of_the_same_name_is_another_question()
    {
        var zone = new InMemoryResolver().AddTxt("example.test", "v=spf1 -all").AddA("example.test", "192.0.2.1");
        var cache = new CachingResolver(zone);

        await cache.QueryAsync("example.test", DnsRecordType.TXT);
        var a = await cache.QueryAsync("example.test", DnsRecordType.A);

        Assert.Equal(2, zone.QueryCount);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(a.Records).Address);
    }

    [Fact]
    public async Task Concurrent_askers_share_one_question()
    {
        var zone = new InMemoryResolver().AddTxt("example.test", "v=spf1 -all");
        var cache = new CachingResolver(zone);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => cache.QueryAsync("example.test", DnsRecordType.TXT))));

        Assert.Equal(1, zone.QueryCount);
        Assert.All(answers, a => Assert.Same(answers[0], a));
    }

    [Fact]
    public async Task Repeated_question_reaches_the_real_server_once()
    {
        var (first, again, asked) = await AskTwiceThroughCountingProxy("shared.spf.test");

        Assert.Equal(RecordStatus.Found, first.RecordStatus);
        Assert.Same(first, again);
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task Servfail_is_cached_as_an_error_not_as_not_found()
    {
        var (first, again, asked) = await AskTwiceThroughCountingProxy("broken.test");

        foreach (var answer in new[] { first, again })
        {
            Assert.Equal(DnsResponseStatus.Error, answer.Status);
            Assert.Equal(DnsErrorKind.ServerFailure, answer.ErrorKind);
            Assert.Equal(RecordStatus.Error, answer.RecordStatus);
            Assert.False(answer.IsVoid);
        }
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task Timeout_is_cached_as_an_error_not_as_not_found()
    {
        using var silent = new SilentDnsServer();
        var cache = new CachingResolver(new DnsClientResolver(new DnsResolverOptions
        {
            Servers = new[] { silent.Endpoint },
            Timeout = TimeSpan.FromMilliseconds(200),
            Retries = 0,
        }));

        var first = await cache.QueryAsync("example.test", DnsRecordType.TXT);
        var again = await cache.QueryAsync("example.test", DnsRecordType.TXT);

        Assert.Same(first, again);
        Assert.Equal(DnsErrorKind.Timeout, again.ErrorKind);
        Assert.Equal(RecordStatus.Error, again.RecordStatus);
        Assert.False(again.IsVoid);
    }

    [Fact]
    public async Task Failure_of_one_name_does_not_touch_the_answers_of_others()
    {
        var zone = new InMemoryResolver()
            .AddTxt("ok.example.test", "v=spf1 -all")
            .AddFailure("slow.example.test", DnsErrorKind.Timeout);
        var cache = new CachingResolver(zone);

        var slow = await cache.QueryAsync("slow.example.test", DnsRecordType.TXT);
        var ok = await cache.QueryAsync("ok.example.test", DnsRecordType.TXT);
        var missing = await cache.QueryAsync("missing.example.test", DnsRecordType.TXT);

        Assert.Equal(RecordStatus.Error, slow.RecordStatus);
        Assert.Equal(RecordStatus.Found, ok.RecordStatus);
        Assert.Equal(RecordStatus.NotFound, missing.RecordStatus);
        Assert.Equal(DnsResponseStatus.NxDomain, missing.Status);
    }

    [Fact]
    public async Task Another_cache_asks_again_although_the_ttl_has_not_run_out()
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _server.Port));
        var inner = Resolver(proxy.Endpoint);

        var first = await new CachingResolver(inner).QueryAsync("shared.spf.test", DnsRecordType.TXT);
        await new CachingResolver(inner).QueryAsync("shared.spf.test", DnsRecordType.TXT);

        Assert.Equal(300, Assert.Single(first.Records).Ttl);
        Assert.Equal(2, proxy.Asked("shared.spf.test"));
    }

    [Fact]
    public async Task Within_one_cache_a_zero_ttl_answer_is_reused()
    {
        var zone = new InMemoryResolver().Add(DnsResourceRecord.Txt("zero.example.test", new[] { "v=spf1 -all" }, ttl: 0));
        var cache = new CachingResolver(zone);

        await cache.QueryAsync("zero.example.test", DnsRecordType.TXT);
        var again = await cache.QueryAsync("zero.example.test", DnsRecordType.TXT);

        Assert.Equal(0, Assert.Single(again.Records).Ttl);
        Assert.Equal(1, zone.QueryCount);
    }

    /// <summary>Asks one cache for the name's TXT twice, through a proxy in front of Knot that counts what reaches the network.</summary>
    private async Task<(DnsAnswer First, DnsAnswer Again, int Asked)> AskTwiceThroughCountingProxy(string name)
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _server.Port));
        var cache = new CachingResolver(Resolver(proxy.Endpoint));
        var first = await cache.QueryAsync(name, DnsRecordType.TXT);
        var again = await cache.QueryAsync(name, DnsRecordType.TXT);
        return (first, again, proxy.Asked(name));
    }

    private static DnsClientResolver Resolver(DnsServerEndpoint server) =>
        new DnsClientResolver(new DnsResolverOptions { Servers = new[] { server }, Timeout = TimeSpan.FromSeconds(2), Retries = 0 });
}
