using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dns;

/// <summary>
/// The per-command DNS cache: a question is asked once while its answer is good, a failure is reported as a failure
/// (never NotFound) and never kept, and an answer is kept no longer than its TTL nor than its <see cref="CachingResolver"/>.
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
    public async Task An_answer_at_hand_is_handed_out_as_the_same_completed_task()
    {
        var cache = new CachingResolver(new InMemoryResolver().AddTxt("example.test", "v=spf1 -all"));
        var first = await cache.QueryAsync("example.test", DnsRecordType.TXT);
        var again = cache.QueryAsync("example.test", DnsRecordType.TXT);
        Assert.True(again.IsCompleted);
        Assert.Same(first, again.Result);
        Assert.Same(again, cache.QueryAsync("EXAMPLE.test.", DnsRecordType.TXT));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) _ = cache.QueryAsync("example.test", DnsRecordType.TXT);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100 * 24, "a cache hit allocates a task or a state machine");
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_capacity_and_keeps_what_is_asked_again()
    {
        var zone = new InMemoryResolver().AddTxt("shared.test", "v=spf1 -all");
        for (int i = 0; i < 200; i++) zone.AddTxt($"d{i}.test", "v=spf1 -all");
        var cache = new CachingResolver(zone, capacity: 16);
        Assert.Equal(16, cache.Capacity);

        // A pipeline over many domains: each asked once, and one name every domain shares.
        for (int i = 0; i < 200; i++)
        {
            await cache.QueryAsync($"d{i}.test", DnsRecordType.TXT);
            await cache.QueryAsync("shared.test", DnsRecordType.TXT);
            Assert.True(cache.HeldCount <= 16, $"{cache.HeldCount} questions held after {i + 1} domains");
        }
        Assert.Equal(201, zone.QueryCount); // the shared name once, however often the generations turned

        // A name asked once, long ago, has left: asking again asks the resolver.
        await cache.QueryAsync("d0.test", DnsRecordType.TXT);
        Assert.Equal(202, zone.QueryCount);
        // The latest ones are still held.
        await cache.QueryAsync("d199.test", DnsRecordType.TXT);
        Assert.Equal(202, zone.QueryCount);
    }

    [Fact]
    public async Task One_evaluation_keeps_every_answer()
    {
        var zone = new InMemoryResolver();
        for (int i = 0; i < 100; i++) zone.AddTxt($"d{i}.test", "x");
        var cache = CachingResolver.ForOneEvaluation(zone);
        for (int round = 0; round < 2; round++)
            for (int i = 0; i < 100; i++) await cache.QueryAsync($"d{i}.test", DnsRecordType.TXT);
        Assert.Equal(100, zone.QueryCount);
        Assert.Equal(100, cache.HeldCount);
    }

    [Fact]
    public void A_capacity_below_two_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingResolver(new InMemoryResolver(), capacity: 1));

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
    public async Task Servfail_is_reported_as_an_error_and_asked_again_next_time()
    {
        var (first, again, asked) = await AskTwiceThroughCountingProxy("broken.test");

        foreach (var answer in new[] { first, again })
        {
            Assert.Equal(DnsResponseStatus.Error, answer.Status);
            Assert.Equal(DnsErrorKind.ServerFailure, answer.ErrorKind);
            Assert.Equal(RecordStatus.Error, answer.RecordStatus);
            Assert.False(answer.IsVoid);
        }
        Assert.NotSame(first, again);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task Timeout_is_reported_as_an_error_and_not_kept()
    {
        using var silent = new SilentDnsServer();
        var cache = new CachingResolver(new StubResolver(new DnsResolverOptions
        {
            Servers = new[] { silent.Endpoint },
            Timeout = TimeSpan.FromMilliseconds(200),
            Retries = 0,
        }));

        var first = await cache.QueryAsync("example.test", DnsRecordType.TXT);
        var again = await cache.QueryAsync("example.test", DnsRecordType.TXT);

        Assert.NotSame(first, again);
        Assert.Equal(2, cache.Count);
        Assert.Equal(DnsErrorKind.Timeout, again.ErrorKind);
        Assert.Equal(RecordStatus.Error, again.RecordStatus);
        Assert.False(again.IsVoid);
    }

    [Fact]
    public async Task A_name_that_failed_is_found_once_the_server_answers()
    {
        var down = new InMemoryResolver().AddFailure("late.example.test", DnsErrorKind.Timeout);
        var up = new InMemoryResolver().AddTxt("late.example.test", "v=spf1 -all");
        var server = new SwitchedResolver(down);
        var cache = new CachingResolver(server);

        var failed = await cache.QueryAsync("late.example.test", DnsRecordType.TXT);
        server.Current = up;
        var found = await cache.QueryAsync("late.example.test", DnsRecordType.TXT);

        Assert.Equal(RecordStatus.Error, failed.RecordStatus);
        Assert.Equal(RecordStatus.Found, found.RecordStatus);
    }

    [Fact]
    public async Task Concurrent_askers_share_one_failure()
    {
        var gate = new TaskCompletionSource<bool>();
        var zone = new InMemoryResolver().AddFailure("slow.example.test", DnsErrorKind.Timeout);
        var cache = new CachingResolver(new GatedResolver(zone, gate.Task));

        var askers = Enumerable.Range(0, 8).Select(_ => cache.QueryAsync("slow.example.test", DnsRecordType.TXT)).ToArray();
        gate.SetResult(true);
        var answers = await Task.WhenAll(askers);

        Assert.Equal(1, zone.QueryCount);
        Assert.All(answers, a => Assert.Equal(DnsErrorKind.Timeout, a.ErrorKind));
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
    public async Task A_zero_ttl_answer_is_not_kept()
    {
        var zone = new InMemoryResolver().Add(DnsResourceRecord.Txt("zero.example.test", new[] { "v=spf1 -all" }, ttl: 0));
        var cache = new CachingResolver(zone);

        await cache.QueryAsync("zero.example.test", DnsRecordType.TXT);
        var again = await cache.QueryAsync("zero.example.test", DnsRecordType.TXT);

        Assert.Equal(0, Assert.Single(again.Records).Ttl);
        Assert.Equal(2, zone.QueryCount);
    }

    [Fact]
    public async Task An_answer_is_kept_until_its_smallest_ttl_runs_out()
    {
        var now = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
        var zone = new InMemoryResolver()
            .Add(DnsResourceRecord.Txt("two.example.test", new[] { "v=spf1 -all" }, ttl: 300))
            .Add(DnsResourceRecord.Txt("two.example.test", new[] { "other" }, ttl: 60));
        var cache = new CachingResolver(zone, () => now);

        await cache.QueryAsync("two.example.test", DnsRecordType.TXT);
        now = now.AddSeconds(59);
        await cache.QueryAsync("two.example.test", DnsRecordType.TXT);
        Assert.Equal(1, zone.QueryCount);

        now = now.AddSeconds(1);
        await cache.QueryAsync("two.example.test", DnsRecordType.TXT);
        Assert.Equal(2, zone.QueryCount);
    }

    [Fact]
    public async Task A_negative_answer_is_kept_for_the_life_of_the_cache()
    {
        var now = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
        var zone = new InMemoryResolver();
        var cache = new CachingResolver(zone, () => now);

        var missing = await cache.QueryAsync("missing.example.test", DnsRecordType.TXT);
        now = now.AddHours(1);
        await cache.QueryAsync("missing.example.test", DnsRecordType.TXT);

        Assert.Equal(RecordStatus.NotFound, missing.RecordStatus);
        Assert.Equal(1, zone.QueryCount);
    }

    [Fact]
    public async Task One_evaluations_cache_asks_each_question_once_failures_and_zero_ttls_included()
    {
        var zone = new InMemoryResolver()
            .AddFailure("slow.example.test", DnsErrorKind.Timeout)
            .Add(DnsResourceRecord.Txt("zero.example.test", new[] { "v=spf1 -all" }, ttl: 0));
        var evaluation = CachingResolver.ForOneEvaluation(zone);

        var failed = await evaluation.QueryAsync("slow.example.test", DnsRecordType.TXT);
        var again = await evaluation.QueryAsync("SLOW.example.test.", DnsRecordType.TXT);
        await evaluation.QueryAsync("zero.example.test", DnsRecordType.TXT);
        await evaluation.QueryAsync("zero.example.test", DnsRecordType.TXT);

        Assert.Same(failed, again);
        Assert.Equal(DnsErrorKind.Timeout, again.ErrorKind);
        Assert.Equal(2, zone.QueryCount);
    }

    /// <summary>Answers from whichever resolver is current: a server that comes up, or a zone that changes.</summary>
    private sealed class SwitchedResolver : IDnsResolver
    {
        public SwitchedResolver(IDnsResolver current) => Current = current;

        public IDnsResolver Current { get; set; }

        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, System.Threading.CancellationToken cancellationToken = default) =>
            Current.QueryAsync(name, type, cancellationToken);
    }

    /// <summary>Holds every question until the gate opens, so that askers overlap.</summary>
    private sealed class GatedResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner;
        private readonly Task _gate;

        public GatedResolver(IDnsResolver inner, Task gate) => (_inner, _gate) = (inner, gate);

        public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, System.Threading.CancellationToken cancellationToken = default)
        {
            await _gate.ConfigureAwait(false);
            return await _inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        }
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

    private static StubResolver Resolver(DnsServerEndpoint server) =>
        new StubResolver(new DnsResolverOptions { Servers = new[] { server }, Timeout = TimeSpan.FromSeconds(2), Retries = 0 });
}
