using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using MailAuth.Dns;

namespace MailAuth.Bench.Dns;

/// <summary>
/// Knot DNS (Debian's knotd) on a free loopback port serving zone files of one folder, for benchmarks that
/// need a real server: the given zones only (<c>.</c> is root.zone), and the CPU time the server has used,
/// so that a benchmark can state the server's own cost per query beside the client's.
/// </summary>
internal sealed class BenchKnotServer : IDisposable
{
    private readonly Process _process;
    private readonly string _workDir;

    /// <param name="zoneDirectory">The folder of <c>zone.zone</c> files.</param>
    /// <param name="udpWorkers">Knot's UDP worker threads.</param>
    /// <param name="zones">The zones to serve; the first one's SOA is asked until the server answers.</param>
    public BenchKnotServer(string zoneDirectory, int udpWorkers, params string[] zones)
    {
        var knotd = File.Exists("/usr/sbin/knotd") ? "/usr/sbin/knotd" : throw new InvalidOperationException("knotd is not installed (apt-get install knot).");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _workDir = Path.Combine(Path.GetTempPath(), "mailauth-bench-knot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDir);
        var conf = new StringBuilder()
            .Append($"server:\n    rundir: \"{_workDir}\"\n    listen: 127.0.0.1@{Port}\n    udp-workers: {udpWorkers}\n    tcp-workers: 1\n    background-workers: 1\n")
            .Append($"database:\n    storage: \"{_workDir}\"\nlog:\n  - target: stderr\n    any: error\n")
            .Append($"template:\n  - id: default\n    storage: \"{zoneDirectory}\"\n    file: \"%s.zone\"\n    zonefile-sync: -1\n    zonefile-load: whole\n    journal-content: none\n    semantic-checks: off\nzone:\n");
        foreach (var zone in zones)
            conf.Append(zone == "." ? "  - domain: .\n    file: \"root.zone\"\n" : $"  - domain: {zone}\n");
        var confPath = Path.Combine(_workDir, "knot.conf");
        File.WriteAllText(confPath, conf.ToString());
        _process = Process.Start(new ProcessStartInfo(knotd, $"-c \"{confPath}\"") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("knotd did not start");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var probe = new StubResolver(new DnsResolverOptions { Servers = new[] { Endpoint }, Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (probe.QueryAsync(zones[0], DnsRecordType.SOA).GetAwaiter().GetResult().IsError)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("knotd did not come up on port " + Port);
            Thread.Sleep(100);
        }
    }

    public int Port { get; }
    public DnsServerEndpoint Endpoint => new DnsServerEndpoint(IPAddress.Loopback, Port);

    /// <summary>
    /// The CPU time knotd's threads have run so far: the sum of /proc/PID/task/TID/schedstat (nanoseconds),
    /// finer than the 10 ms ticks of /proc/PID/stat. Knot's threads live as long as the server.
    /// </summary>
    public TimeSpan CpuTime
    {
        get
        {
            long nanoseconds = 0;
            foreach (var task in Directory.GetDirectories($"/proc/{_process.Id}/task"))
            {
                try { nanoseconds += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture); }
                catch (IOException) { } // a thread that just ended
            }
            return TimeSpan.FromTicks(nanoseconds / 100);
        }
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_workDir, true); } catch (IOException) { }
    }
}
