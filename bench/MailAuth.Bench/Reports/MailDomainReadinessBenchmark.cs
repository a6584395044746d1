using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Reports;

namespace MailAuth.Bench.Reports;

/// <summary>
/// Test-MailDomain's core (MailDomainTester with a pipeline-shaped CachingResolver) over 10,000
/// generated domains (scaled by --quick) on a Knot server on loopback, beside the server's own
/// capacity measured in the same run: raw DnsClient TXT queries per second at the same concurrency,
/// turned into domains per second with the number of queries one domain costs.
/// </summary>
public sealed class MailDomainReadinessBenchmark : IBenchmark
{
    private const int Concurrency = 64;

    public string Name => "mail-domain-readiness";

    public string Description => "Test-MailDomain core over 10,000 domains on loopback Knot vs the server's raw query capacity; target >= 2,000 domains/s";

    public BenchmarkReport Run(BenchmarkContext context)
    {
        var report = new BenchmarkReport(Name);
        int count = context.Scaled(10_000);
        var zones = Path.Combine(context.ScratchDirectory, "readiness-zones");
        Directory.CreateDirectory(zones);
        WriteZone(Path.Combine(zones, "bench.test.zone"), count);
        File.Copy(Path.Combine(context.RepositoryRoot, "tests", "data", "zones", "root.zone"), Path.Combine(zones, "root.zone"), overwrite: true);
        using var server = new BenchKnotServer(zones, "bench.test");
        var options = new DnsResolverOptions { Servers = new[] { server.Endpoint }, Timeout = TimeSpan.FromSeconds(2), Retries = 2 };
        var domains = Enumerable.Range(0, count).Select(i => $"d{i}.bench.test").ToList();

        // Warm up both paths (JIT, sockets) on a few domains.
        RunTester(domains.Take(50).ToList(), options, out _, out _);
        RawQueries(domains.Take(200).ToList(), options);

        var ours = RunTester(domains, options, out long queries, out var statuses);
        double oursPerSecond = count / ours;
        double queriesPerDomain = (double)queries / count;
        var withoutDkim = RunTester(domains, options, out long queriesWithoutDkim, out _, Array.Empty<string>());
        var raw = RawQueries(domains, options);
        double rawQps = count / raw;

        context.Output.WriteLine($"   {count:N0} domains: {string.Join(", ", statuses.Select(kv => kv.Key + " " + kv.Value))}; {queriesPerDomain:N1} DNS queries per domain (after the cache)");
        report.Add($"Test-MailDomain core, {count:N0} domains", "domains/s", oursPerSecond, "server cap", rawQps / queriesPerDomain, higherIsBetter: true,
            note: $"peer = raw queries/s ÷ {queriesPerDomain:N1} queries per domain; target >= 2,000 domains/s: {(oursPerSecond >= 2000 ? "MET" : "NOT MET")}, concurrency {Concurrency}");
        report.Add("same, without -DkimSelector", "domains/s", count / withoutDkim, "server cap", rawQps / ((double)queriesWithoutDkim / count), higherIsBetter: true,
            note: $"target >= 2,000 domains/s: {(count / withoutDkim >= 2000 ? "MET" : "NOT MET")}; {(double)queriesWithoutDkim / count:N1} queries per domain, no DKIM key lookups or key decoding");
        report.Add("DNS queries issued by the tester", "queries/s", queries / ours, "raw DnsClient", rawQps, higherIsBetter: true, note: "same server, same concurrency, TXT queries");
        return report;
    }

    private static double RunTester(IReadOnlyList<string> domains, DnsResolverOptions options, out long queries, out Dictionary<MailDomainCheckStatus, int> statuses,
        string[] selectors = null)
    {
        var counting = new CountingResolver(new DnsClientResolver(options));
        var tester = new MailDomainTester(new CachingResolver(counting));
        var results = new MailDomainCheckStatus[domains.Count];
        var timer = Stopwatch.StartNew();
        Parallel.ForEachAsync(Enumerable.Range(0, domains.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var readiness = await tester.TestAsync(domains[i], selectors ?? new[] { "s1" }, SenderRequirement.All, ct).ConfigureAwait(false);
            results[i] = readiness.Status;

        }).GetAwaiter().GetResult();
        var seconds = timer.Elapsed.TotalSeconds;
        queries = counting.Count;
        statuses = results.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        return seconds;
    }

    private static double RawQueries(IReadOnlyList<string> domains, DnsResolverOptions options)
    {
        var resolver = new DnsClientResolver(options);
        int errors = 0;
        var timer = Stopwatch.StartNew();
        Parallel.ForEachAsync(domains, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (d, ct) =>
        {
            if ((await resolver.QueryAsync(d, DnsRecordType.TXT, ct).ConfigureAwait(false)).IsError) Interlocked.Increment(ref errors);
        }).GetAwaiter().GetResult();
        if (errors > 0) throw new InvalidOperationException($"{errors} raw queries failed; the server is overloaded or down.");
        return timer.Elapsed.TotalSeconds;
    }

    /// <summary>Each domain: SPF with one include, DMARC with rua, a 2048-bit DKIM key at s1, MX with an address.</summary>
    private static void WriteZone(string path, int count)
    {
        var key = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp+IkK0H34Z81xmQcw8qJ2JGCi+GUSkYiDKcYdELJQ3vt9QPYnXqKpitlNfCiW+++15ct6vRY1Ct72eGtIJzzuVw2qxgcDye8ZVrdomkpG8Mrd5PsMI6tM1XNwLxN8Vtktkj++NJan0lCMJ85QjDs0B+KO6usuPC00ObjXl8ti6L25sNkJ0franqwJcnuIgUcQdM1woGRBBIbyxubTmQxNjK+dsvGoC547Pt7Qq3//3AdoWn9O5eGe3rsGDcQdUBxR321GoNpKyB+09v6K6j9bYrPfiB2jXShvp5gVCbR+BN1SfIXcc0A7sZCrebqYrWVM9pWqzzsRnwiYRSq+8bGfwIDAQAB";
        var quoted = "\"" + key.Substring(0, 200) + "\" \"" + key.Substring(200) + "\"";
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.WriteLine("$ORIGIN bench.test.\n$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1\nmx IN A 192.0.2.25");
        w.WriteLine("_spf IN TXT \"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 -all\"");
        for (int i = 0; i < count; i++)
        {
            w.WriteLine($"d{i} IN TXT \"v=spf1 ip4:203.0.113.{i % 256}/32 include:_spf.bench.test ~all\"");
            w.WriteLine($"_dmarc.d{i} IN TXT \"v=DMARC1; p={(i % 3 == 0 ? "none" : "quarantine")}; rua=mailto:dmarc@d{i}.bench.test\"");
            w.WriteLine($"s1._domainkey.d{i} IN TXT ( {quoted} )");
            w.WriteLine($"d{i} IN MX 10 mx.bench.test.");
        }
    }

    private sealed class CountingResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner;
        private long _count;
        public CountingResolver(IDnsResolver inner) => _inner = inner;
        public long Count => Interlocked.Read(ref _count);

        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return _inner.QueryAsync(name, type, cancellationToken);
        }
    }
}
