using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using MailAuth.Bench.Dns;
using MailAuth.Dns;
using MailAuth.Spf;

namespace MailAuth.Bench.Spf;

/// <summary>
/// Get-SpfRecord -Expand's core (SpfRecordInspector) against Knot on loopback, serving tests/data/zones/spf.test.zone,
/// beside pyspf evaluating the same records against the same server for an address no term matches (so it too
/// resolves the whole tree). No DNS cache on either side. The inspector does more per record (type 99 query,
/// A and AAAA for a and mx, networks); the ratio is reported, not asserted.
/// </summary>
public sealed class SpfExpandBenchmark : IBenchmark
{
    private static readonly string[] Domains = { "bench.spf.test", "good.spf.test", "diamond.spf.test" };

    public string Name => "spf-expand";
    public string Description => "Get-SpfRecord -Expand (SpfRecordInspector) vs pyspf check() on the same records, Knot on loopback";

    public BenchmarkReport Run(BenchmarkContext context)
    {
        var zones = Path.Combine(context.RepositoryRoot, "tests", "data", "zones");
        using var knot = new BenchKnotServer(zones, 1, "spf.test", ".");
        double seconds = Math.Max(1, 5 * context.Scale * 20 / 20);
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { knot.Endpoint }, Timeout = TimeSpan.FromSeconds(2), Retries = 1 });
        var inspector = new SpfRecordInspector(resolver);

        foreach (var d in Domains)
        {
            var r = inspector.InspectAsync(d, true).GetAwaiter().GetResult();
            context.Output.WriteLine($"{d}: {r.Status}, {r.DnsLookupCount} lookups, {r.AuthorizedNetworks.Count} networks");
        }
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1) foreach (var d in Domains) inspector.InspectAsync(d, true).GetAwaiter().GetResult();

        long count = 0;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            foreach (var d in Domains) inspector.InspectAsync(d, true).GetAwaiter().GetResult();
            count += Domains.Length;
        }
        sw.Stop();
        double ours = count / sw.Elapsed.TotalSeconds;
        double bytes = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / count;

        var script = Path.Combine(AppContext.BaseDirectory, "Spf", "pyspf_expand.py");
        var stdout = PythonPeer.Run(script, new[] { knot.Port.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) }.Concat(Domains).ToArray());
        using var json = JsonDocument.Parse(stdout);
        double peer = json.RootElement.GetProperty("per_second").GetDouble();
        context.Output.WriteLine("pyspf results for 100.64.0.1: " + json.RootElement.GetProperty("results"));

        var report = new BenchmarkReport(Name);
        report.Add("records expanded against Knot", "records/s", ours, "pyspf", peer, true, null, string.Join(", ", Domains));
        report.Add("allocations per expansion (this thread)", "bytes", bytes, "pyspf", double.NaN, false, null, "continuations on other threads are not counted");
        return report;
    }
}
