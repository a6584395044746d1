using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using MailAuth.Dns;

namespace MailAuth.Bench.Spf;

/// <summary>
/// Knot DNS (Debian's knotd) on a free loopback port serving the given zone files from tests/data/zones,
/// the way the test fixture does, for benchmarks that need a real server on both sides.
/// </summary>
internal sealed class BenchKnotServer : IDisposable
{
    private readonly Process _process;
    private readonly string _workDir;

    public BenchKnotServer(string zoneDirectory, params string[] zones)
    {
        var knotd = File.Exists("/usr/sbin/knotd") ? "/usr/sbin/knotd" : throw new InvalidOperationException("knotd is not installed (apt-get install knot).");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _workDir = Path.Combine(Path.GetTempPath(), "mailauth-bench-knot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDir);
        var conf = $"server:\n    rundir: \"{_workDir}\"\n    listen: 127.0.0.1@{Port}\n    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n" +
                   $"database:\n    storage: \"{_workDir}\"\nlog:\n  - target: stderr\n    any: error\n" +
                   $"template:\n  - id: default\n    storage: \"{zoneDirectory}\"\n    file: \"%s.zone\"\n    zonefile-sync: -1\n    zonefile-load: whole\n    journal-content: none\n    semantic-checks: off\nzone:\n";
        foreach (var zone in zones)
            conf += zone == "." ? "  - domain: .\n    file: \"root.zone\"\n" : $"  - domain: {zone}\n";
        var confPath = Path.Combine(_workDir, "knot.conf");
        File.WriteAllText(confPath, conf);
        _process = Process.Start(new ProcessStartInfo(knotd, $"-c \"{confPath}\"") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("knotd did not start");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var probe = new DnsClientResolver(new DnsResolverOptions { Servers = new[] { Endpoint }, Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (probe.QueryAsync(zones[0], DnsRecordType.SOA).GetAwaiter().GetResult().IsError)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("knotd did not come up on port " + Port);
            Thread.Sleep(100);
        }
    }

    public int Port { get; }
    public DnsServerEndpoint Endpoint => new DnsServerEndpoint(IPAddress.Loopback, Port);

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); } } catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_workDir, true); } catch (IOException) { }
    }
}
