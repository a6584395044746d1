using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using MailAuth.Dns;

namespace MailAuth.Bench.Dns;

/// <summary>
/// The DNS wire path, side by side: MailAuth's resolver (<see cref="StubResolver"/>, over UDP and with
/// UseTcpOnly over TCP) beside DnsClient.NET's LookupClient over UDP and over TCP, on the same Knot server on
/// loopback, the same TXT questions and the same concurrency, no cache on either side. Each candidate runs a
/// warm-up, then two measured passes alternately with its peer; the figures are total questions over total
/// time, and this process's CPU time per question (the client's cost; Knot's is the same for both). Also the
/// latency of one question at a time over TCP, where connection reuse shows.
/// </summary>
public sealed class DnsTransportBenchmark : IBenchmark
{
    private const int Concurrency = 16;

    public string Name => "dns-transport";

    public string Description => "MailAuth's DNS transport (UDP, TCP) vs DnsClient.NET's LookupClient on loopback Knot: questions/s and client CPU per question";

    public BenchmarkReport Run(BenchmarkContext context)
    {
        int count = context.Scaled(20_000);
        var zones = Path.Combine(context.ScratchDirectory, "dns-transport-zones");
        Directory.CreateDirectory(zones);
        WriteZone(Path.Combine(zones, "transport.test.zone"), count);
        File.Copy(Path.Combine(context.RepositoryRoot, "tests", "data", "zones", "root.zone"), Path.Combine(zones, "root.zone"), overwrite: true);
        using var server = new BenchKnotServer(zones, 1, "transport.test", ".");
        var names = Enumerable.Range(0, count).Select(i => $"n{i}.transport.test").ToList();

        var ours = new Dictionary<bool, Func<string, Task<bool>>>
        {
            [false] = Ours(server, tcp: false),
            [true] = Ours(server, tcp: true),
        };
        var peer = new Dictionary<bool, Func<string, Task<bool>>>
        {
            [false] = Peer(server, tcp: false),
            [true] = Peer(server, tcp: true),
        };

        var report = new BenchmarkReport(Name);
        foreach (var tcp in new[] { false, true })
        {
            var transport = tcp ? "TCP" : "UDP";
            Pass.Run(names.Take(500).ToList(), ours[tcp], Concurrency);
            Pass.Run(names.Take(500).ToList(), peer[tcp], Concurrency);
            var o = new List<Pass>();
            var p = new List<Pass>();
            for (int round = 0; round < 2; round++)
            {
                o.Add(Pass.Run(names, ours[tcp], Concurrency));
                p.Add(Pass.Run(names, peer[tcp], Concurrency));
            }
            var om = Pass.Mean(o);
            var pm = Pass.Mean(p);
            context.Output.WriteLine($"   {transport}: MailAuth passes {string.Join(", ", o.Select(x => x.PerSecond.ToString("N0")))} q/s, {om.Failures} failed; DnsClient {string.Join(", ", p.Select(x => x.PerSecond.ToString("N0")))} q/s, {pm.Failures} failed");
            report.Add($"{transport} questions, concurrency {Concurrency}", "questions/s", om.PerSecond, "DnsClient", pm.PerSecond, higherIsBetter: true, note: $"{count:N0} TXT questions, mean of 2 passes");
            report.Add($"{transport} client CPU per question", "µs", om.CpuMicroseconds, "DnsClient", pm.CpuMicroseconds, higherIsBetter: false);
        }

        var sequential = names.Take(Math.Max(100, count / 10)).ToList();
        Pass.Run(sequential.Take(50).ToList(), ours[true], 1);
        Pass.Run(sequential.Take(50).ToList(), peer[true], 1);
        var os = Pass.Run(sequential, ours[true], 1);
        var ps = Pass.Run(sequential, peer[true], 1);
        report.Add("TCP, one question at a time", "µs/question", 1e6 / os.PerSecond, "DnsClient", 1e6 / ps.PerSecond, higherIsBetter: false, note: $"{sequential.Count:N0} questions; connection reuse");
        context.Output.WriteLine($"   {Environment.ProcessorCount} cores, load average {BenchmarkContext.LoadAverage()} (the machine may be shared: compare the columns of one run, not runs)");
        return report;
    }

    private static Func<string, Task<bool>> Ours(BenchKnotServer server, bool tcp)
    {
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { server.Endpoint }, Timeout = TimeSpan.FromSeconds(2), Retries = 2, UseTcpOnly = tcp });
        return async name =>
        {
            var answer = await resolver.QueryAsync(name, DnsRecordType.TXT).ConfigureAwait(false);
            return answer.Records.Count == 1;
        };
    }

    private static Func<string, Task<bool>> Peer(BenchKnotServer server, bool tcp)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, server.Port))
        {
            UseCache = false,
            Timeout = TimeSpan.FromSeconds(2),
            Retries = 2,
            UseTcpOnly = tcp,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            EnableAuditTrail = false,
        });
        return async name =>
        {
            try
            {
                var response = await client.QueryAsync(name, QueryType.TXT).ConfigureAwait(false);
                return response.Answers.TxtRecords().Count() == 1;
            }
            catch (DnsResponseException)
            {
                return false;
            }
        };
    }

    /// <summary>One TXT record of about 100 octets per name, the size of a typical SPF record.</summary>
    private static void WriteZone(string path, int count)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.WriteLine("$ORIGIN transport.test.\n$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1");
        for (int i = 0; i < count; i++)
            w.WriteLine($"n{i} IN TXT \"v=spf1 ip4:203.0.113.{i % 256}/32 ip4:198.51.100.0/24 include:_spf.transport.test ~all\"");
    }

    /// <summary>One pass over every name at a given concurrency.</summary>
    private sealed class Pass
    {
        public int Questions;
        public int Failures;
        public double Seconds;
        public double Cpu;

        public double PerSecond => Questions / Seconds;
        public double CpuMicroseconds => Cpu * 1e6 / Questions;

        public static Pass Run(IReadOnlyList<string> names, Func<string, Task<bool>> ask, int concurrency)
        {
            int failures = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var timer = Stopwatch.StartNew();
            Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (name, ct) =>
            {
                if (!await ask(name).ConfigureAwait(false)) Interlocked.Increment(ref failures);
            }).GetAwaiter().GetResult();
            return new Pass
            {
                Questions = names.Count,
                Failures = failures,
                Seconds = timer.Elapsed.TotalSeconds,
                Cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds,
            };
        }

        public static Pass Mean(IReadOnlyList<Pass> passes) => new Pass
        {
            Questions = passes.Sum(p => p.Questions),
            Failures = passes.Sum(p => p.Failures),
            Seconds = passes.Sum(p => p.Seconds),
            Cpu = passes.Sum(p => p.Cpu),
        };
    }
}
