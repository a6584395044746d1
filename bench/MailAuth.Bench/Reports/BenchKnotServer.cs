using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using MailAuth.Dns;

namespace MailAuth.Bench.Reports;

/// <summary>A Knot DNS server on a free loopback port serving the zone files of one folder, for benchmarks.</summary>
internal sealed class BenchKnotServer : IDisposable
{
    private readonly Process _process;
    private readonly string _workDir;

    public BenchKnotServer(string zoneDirectory, string probeName)
    {
        var knotd = new[] { "/usr/sbin/knotd", "/usr/bin/knotd", "/usr/local/sbin/knotd" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("knotd is not installed (apt-get install knot).");
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))) Port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        _workDir = Path.Combine(Path.GetTempPath(), "mailauth-bench-knot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDir);
        var conf = new StringBuilder();
        conf.AppendLine("server:").AppendLine($"    rundir: \"{_workDir}\"").AppendLine($"    listen: 127.0.0.1@{Port}")
            .AppendLine("    udp-workers: 2").AppendLine("    tcp-workers: 1").AppendLine("    background-workers: 1")
            .AppendLine("database:").AppendLine($"    storage: \"{_workDir}\"")
            .AppendLine("log:").AppendLine("  - target: stderr").AppendLine("    any: warning")
            .AppendLine("template:").AppendLine("  - id: default").AppendLine($"    storage: \"{zoneDirectory}\"").AppendLine("    file: \"%s.zone\"")
            .AppendLine("    zonefile-sync: -1").AppendLine("    zonefile-load: whole").AppendLine("    journal-content: none").AppendLine("    semantic-checks: off")
            .AppendLine("zone:");
        foreach (var file in Directory.GetFiles(zoneDirectory, "*.zone"))
        {
            var zone = Path.GetFileNameWithoutExtension(file);
            if (zone == "root") conf.AppendLine("  - domain: .").AppendLine("    file: \"root.zone\"");
            else conf.AppendLine($"  - domain: {zone}");
        }
        File.WriteAllText(Path.Combine(_workDir, "knot.conf"), conf.ToString());
        _process = Process.Start(new ProcessStartInfo(knotd, $"-c \"{Path.Combine(_workDir, "knot.conf")}\"") { UseShellExecute = false, RedirectStandardError = true })!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var resolver = new DnsClientResolver(new DnsResolverOptions { Servers = new[] { Endpoint }, Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (resolver.QueryAsync(probeName, DnsRecordType.SOA).GetAwaiter().GetResult().IsError)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("knotd did not start answering.");
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
