using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Bench.Dns;
using MailAuth.Dns;
using MailAuth.Readiness;

namespace MailAuth.Bench.Reports;

/// <summary>
/// Test-MailDomain's core (MailDomainTester with a pipeline-shaped CachingResolver) over 10,000
/// generated domains (scaled by --quick) on a Knot server on loopback, beside the server's own
/// capacity measured in the same run: raw TXT queries per second through the same resolver at the
/// same concurrency, and Knot's own CPU time per query (from /proc), each turned into domains per
/// second with the number of queries one domain costs. The first pass in the process (JIT and GC
/// still warming) is reported on its own line; the two target lines are the mean of two passes each,
/// run alternately after it, every pass over all the domains with a fresh cache. The peer: asyncio with dnspython's
/// asynchronous resolver (Debian python3-dnspython), asking for every domain exactly the questions MailAuth asked for
/// one (recorded in the run), at the same concurrency, against the same server, and reading the answers a readiness
/// check reads.
/// </summary>
public sealed class MailDomainReadinessBenchmark : IBenchmark
{
    private const int Concurrency = 64;

    public string Name => "mail-domain-readiness";

    public string Description => "Test-MailDomain core over 10,000 domains on loopback Knot vs an asyncio + dnspython peer asking the same questions (target >= 5x, GC pauses < 5%)";

    public BenchmarkReport Run(BenchmarkContext context)
    {
        var report = new BenchmarkReport(Name);
        int count = context.Scaled(10_000);
        var zones = Path.Combine(context.ScratchDirectory, "readiness-zones");
        Directory.CreateDirectory(zones);
        WriteZone(Path.Combine(zones, "bench.test.zone"), count);
        File.Copy(Path.Combine(context.RepositoryRoot, "tests", "data", "zones", "root.zone"), Path.Combine(zones, "root.zone"), overwrite: true);
        using var server = new BenchKnotServer(zones, 2, "bench.test", ".");
        var options = new DnsResolverOptions { Servers = new[] { server.Endpoint }, Timeout = TimeSpan.FromSeconds(2), Retries = 2 };
        var domains = Enumerable.Range(0, count).Select(i => $"d{i}.bench.test").ToList();
        var withSelector = new[] { "s1" };

        // Warm up both paths (sockets, the first JIT) on a few domains, then the first full pass.
        RunTester(domains.Take(50).ToList(), options, withSelector, server);
        RawQueries(domains.Take(200).ToList(), options);
        var cold = RunTester(domains, options, withSelector, server);

        var with = new List<Pass>();
        var without = new List<Pass>();
        for (int round = 0; round < 2; round++)
        {
            with.Add(RunTester(domains, options, withSelector, server));
            without.Add(RunTester(domains, options, Array.Empty<string>(), server));
        }
        var knotBefore = server.CpuTime;
        var raw = RawQueries(domains, options);
        double rawQps = count / raw;
        double knotCpuPerQuery = (server.CpuTime - knotBefore).TotalSeconds / count;

        var w = Pass.Mean(with);
        var wo = Pass.Mean(without);
        var peer = RunPeer(context, server, domains, options, withSelector);
        context.Output.WriteLine($"   {count:N0} domains: {string.Join(", ", w.Statuses.Select(kv => kv.Key + " " + kv.Value))}; {w.QueriesPerDomain:N1} DNS queries per domain (after the cache)");
        context.Output.WriteLine($"   passes with s1: {string.Join(", ", with.Select(p => p.DomainsPerSecond.ToString("N0")))} domains/s; without: {string.Join(", ", without.Select(p => p.DomainsPerSecond.ToString("N0")))}; first pass {cold.DomainsPerSecond:N0}");
        context.Output.WriteLine($"   CPU per domain with s1: this process {w.ClientCpuMicroseconds:N0} µs, Knot {w.KnotCpuMicroseconds:N0} µs; Knot per raw query {knotCpuPerQuery * 1e6:N1} µs; GC pauses {w.GcPauseMilliseconds:N0} ms per pass; {Environment.ProcessorCount} cores, load average {BenchmarkContext.LoadAverage()}");
        report.Add($"Test-MailDomain core, {count:N0} domains", "domains/s", w.DomainsPerSecond, "asyncio+dnspython", peer.DomainsPerSecond, higherIsBetter: true, target: 5,
            note: $"the same questions about each domain ({peer.QuestionsPerDomain:N1} for the peer, {w.QueriesPerDomain:N1} for MailAuth with the names all domains share), concurrency {Concurrency}; MailAuth: mean of 2 passes");
        report.Add("CPU per domain", "µs", w.ClientCpuMicroseconds, "asyncio+dnspython", peer.CpuMicroseconds, higherIsBetter: false);
        report.Add("GC pauses, share of a pass", "%", w.GcPauseMilliseconds / 1000 / (w.Seconds / with.Count) * 100, "target", 5, higherIsBetter: false,
            note: "GC.GetTotalPauseDuration per pass against the pass's time; target < 5%");
        report.Add("server cap for the same work", "domains/s", w.DomainsPerSecond, "server cap", rawQps / w.QueriesPerDomain, higherIsBetter: true,
            note: $"peer column = raw queries/s ÷ {w.QueriesPerDomain:N1} queries per domain, same resolver and concurrency");
        report.Add("same, without -DkimSelector", "domains/s", wo.DomainsPerSecond, "server cap", rawQps / wo.QueriesPerDomain, higherIsBetter: true,
            note: $"target >= 2,000 domains/s: {(wo.DomainsPerSecond >= 2000 ? "MET" : "NOT MET")}; {wo.QueriesPerDomain:N1} queries per domain, no DKIM key lookups; mean of 2 passes");
        report.Add("first pass in the process, with -DkimSelector", "domains/s", cold.DomainsPerSecond, "server cap", rawQps / w.QueriesPerDomain, higherIsBetter: true,
            note: "JIT tiering and the GC still warming; the same work as the first line");
        report.Add("Knot alone, every core", "domains/s", w.DomainsPerSecond, "Knot CPU cap", Environment.ProcessorCount / (knotCpuPerQuery * w.QueriesPerDomain), higherIsBetter: true,
            note: $"peer = {Environment.ProcessorCount} cores ÷ (Knot's {knotCpuPerQuery * 1e6:N1} µs CPU per query × {w.QueriesPerDomain:N1}), if the server had the machine to itself");
        report.Add("DNS queries issued by the tester", "queries/s", w.QueriesPerSecond, "raw queries", rawQps, higherIsBetter: true, note: "same resolver, server and concurrency, TXT queries");
        return report;
    }

    private sealed record PeerPass(double DomainsPerSecond, double CpuMicroseconds, double QuestionsPerDomain);

    /// <summary>
    /// Records the questions the tester asks for one domain, then runs the dnspython peer over every domain with them.
    /// </summary>
    private static PeerPass RunPeer(BenchmarkContext context, BenchKnotServer server, IReadOnlyList<string> domains, DnsResolverOptions options, string[] selectors)
    {
        var recorder = new CountingResolver(new StubResolver(options), keepQuestions: true);
        new MailDomainTester(new CachingResolver(recorder)).TestAsync(domains[0], selectors, SenderRequirement.All).GetAwaiter().GetResult();
        var questions = Path.Combine(context.ScratchDirectory, "readiness-questions.txt");
        // The questions about the domain itself; those about names every domain shares (the parent's _dmarc record,
        // the tree walk above it) MailAuth's cache answers once per pass, so the peer is spared them altogether.
        File.WriteAllLines(questions, recorder.Asked.Where(q => q.Name.Contains(domains[0], StringComparison.OrdinalIgnoreCase))
            .Select(q => q.Name.Replace(domains[0], "{d}", StringComparison.OrdinalIgnoreCase) + " " + q.Type).Distinct());
        var list = Path.Combine(context.ScratchDirectory, "readiness-domains.txt");
        File.WriteAllLines(list, domains);
        var script = Path.Combine(AppContext.BaseDirectory, "Reports", "dnspython_readiness.py");
        var output = MailAuth.Bench.Spf.PythonPeer.Run(script, "127.0.0.1", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), questions, list, Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var root = json.RootElement;
        return new PeerPass(root.GetProperty("domains_per_second").GetDouble(), root.GetProperty("cpu_seconds").GetDouble() * 1e6 / domains.Count,
            (double)root.GetProperty("questions").GetInt64() / domains.Count);
    }

    private static Pass RunTester(IReadOnlyList<string> domains, DnsResolverOptions options, string[] selectors, BenchKnotServer server)
    {
        var counting = new CountingResolver(new StubResolver(options));
        var tester = new MailDomainTester(new CachingResolver(counting));
        var results = new MailDomainCheckStatus[domains.Count];
        var knot = server.CpuTime;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var pause = GC.GetTotalPauseDuration();
        var timer = Stopwatch.StartNew();
        Parallel.ForEachAsync(Enumerable.Range(0, domains.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var readiness = await tester.TestAsync(domains[i], selectors, SenderRequirement.All, ct).ConfigureAwait(false);
            results[i] = readiness.Status;
        }).GetAwaiter().GetResult();
        var seconds = timer.Elapsed.TotalSeconds;
        return new Pass
        {
            Domains = domains.Count,
            Seconds = seconds,
            Queries = counting.Count,
            ClientCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
            KnotCpu = (server.CpuTime - knot).TotalSeconds,
            GcPause = (GC.GetTotalPauseDuration() - pause).TotalSeconds,
            Statuses = results.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count()),
        };
    }

    /// <summary>One pass of the tester over every domain.</summary>
    private sealed class Pass
    {
        public int Domains;
        public double Seconds;
        public long Queries;
        public double ClientCpu;
        public double KnotCpu;
        public double GcPause;
        public Dictionary<MailDomainCheckStatus, int> Statuses;

        public double DomainsPerSecond => Domains / Seconds;
        public double QueriesPerDomain => (double)Queries / Domains;
        public double QueriesPerSecond => Queries / Seconds;
        public double ClientCpuMicroseconds => ClientCpu * 1e6 / Domains;
        public double KnotCpuMicroseconds => KnotCpu * 1e6 / Domains;
        public double GcPauseMilliseconds => GcPause * 1e3;

        /// <summary>The passes as one: total work over total time.</summary>
        public static Pass Mean(IReadOnlyList<Pass> passes) => new Pass
        {
            Domains = passes.Sum(p => p.Domains),
            Seconds = passes.Sum(p => p.Seconds),
            Queries = passes.Sum(p => p.Queries),
            ClientCpu = passes.Sum(p => p.ClientCpu),
            KnotCpu = passes.Sum(p => p.KnotCpu),
            GcPause = passes.Average(p => p.GcPause),
            Statuses = passes[0].Statuses,
        };
    }

    private static double RawQueries(IReadOnlyList<string> domains, DnsResolverOptions options)
    {
        var resolver = new StubResolver(options);
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
}
