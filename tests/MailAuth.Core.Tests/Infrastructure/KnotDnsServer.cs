using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using MailAuth.Dns;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// A real authoritative DNS server (Knot DNS, Debian's knot package) on a free loopback port,
/// serving every zone file in tests/data/zones/ (file name = zone name + ".zone"). Special zones:
/// <c>noudp.test</c> is served with mod-noudp, so every UDP answer is truncated and the client
/// must retry over TCP; <c>broken.test</c> has a zone file that does not load, so Knot answers
/// SERVFAIL for it. Start it once per test collection through <see cref="KnotDnsServerFixture"/>.
/// </summary>
public sealed class KnotDnsServer : IDisposable
{
    private readonly Process _process;
    private readonly string _workDir;

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";
    public DnsServerEndpoint Endpoint => new DnsServerEndpoint(IPAddress.Loopback, Port);

    public KnotDnsServer(string zoneDirectory)
    {
        var knotd = FindExecutable("knotd")
            ?? throw new InvalidOperationException("knotd is not installed. Install Debian's knot package (apt-get install knot); .ci/run does this.");
        Port = FreePort();
        _workDir = Path.Combine(Path.GetTempPath(), "mailauth-knot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDir);
        var zones = Directory.GetFiles(zoneDirectory, "*.zone").OrderBy(f => f, StringComparer.Ordinal).ToList();
        var conf = new StringBuilder();
        conf.AppendLine("server:");
        conf.AppendLine($"    rundir: \"{_workDir}\"");
        conf.AppendLine($"    listen: 127.0.0.1@{Port}");
        conf.AppendLine("    udp-workers: 1");
        conf.AppendLine("    tcp-workers: 1");
        conf.AppendLine("    background-workers: 1");
        conf.AppendLine("database:");
        conf.AppendLine($"    storage: \"{_workDir}\"");
        conf.AppendLine("log:");
        conf.AppendLine("  - target: stderr");
        conf.AppendLine("    any: warning");
        conf.AppendLine("template:");
        conf.AppendLine("  - id: default");
        conf.AppendLine($"    storage: \"{zoneDirectory}\"");
        conf.AppendLine("    file: \"%s.zone\"");
        conf.AppendLine("    zonefile-sync: -1");
        conf.AppendLine("    zonefile-load: whole");
        conf.AppendLine("    journal-content: none");
        conf.AppendLine("    semantic-checks: off");
        conf.AppendLine("zone:");
        foreach (var file in zones)
        {
            var zone = Path.GetFileNameWithoutExtension(file);
            if (zone == "root")
            {
                // The root zone makes the server answer NXDOMAIN, not REFUSED, for names outside the test zones.
                conf.AppendLine("  - domain: .");
                conf.AppendLine("    file: \"root.zone\"");
                continue;
            }
            conf.AppendLine($"  - domain: {zone}");
            if (zone == "noudp.test") conf.AppendLine("    module: mod-noudp");
        }
        File.WriteAllText(Path.Combine(_workDir, "knot.conf"), conf.ToString());

        var psi = new ProcessStartInfo(knotd, $"-c \"{Path.Combine(_workDir, "knot.conf")}\"")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("knotd did not start.");
        var log = new StringBuilder();
        _process.ErrorDataReceived += (s, e) => { lock (log) log.AppendLine(e.Data); };
        _process.OutputDataReceived += (s, e) => { lock (log) log.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        // Ready when it answers for a zone that loads.
        var probeZone = zones.Select(Path.GetFileNameWithoutExtension).FirstOrDefault(z => z != "broken.test" && z != "root") ?? ".";
        var resolver = new DnsClientResolver(new DnsResolverOptions { Servers = new[] { Endpoint }, Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"knotd exited with {_process.ExitCode}: {log}");
            var answer = resolver.QueryAsync(probeZone, DnsRecordType.SOA).GetAwaiter().GetResult();
            if (!answer.IsError) break;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"knotd did not answer on port {Port} within 30 s: {answer.Describe()} {log}");
            Thread.Sleep(100);
        }
    }

    /// <summary>A resolver that asks this server.</summary>
    public DnsClientResolver CreateResolver(TimeSpan? timeout = null, int retries = 1) =>
        new DnsClientResolver(new DnsResolverOptions { Servers = new[] { Endpoint }, Timeout = timeout ?? TimeSpan.FromSeconds(2), Retries = retries });

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_workDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static int FreePort()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint).Port;
            try
            {
                var tcp = new TcpListener(IPAddress.Loopback, port);
                tcp.Start();
                tcp.Stop();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("No free loopback port for the DNS server.");
    }

    internal static string FindExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator).Concat(new[] { "/usr/sbin", "/usr/local/sbin", "/sbin" }))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>Starts one Knot DNS server over tests/data/zones for a test collection.</summary>
public sealed class KnotDnsServerFixture : IDisposable
{
    private readonly Lazy<KnotDnsServer> _server = new Lazy<KnotDnsServer>(() => new KnotDnsServer(RepositoryPaths.DataFile("zones")));
    public KnotDnsServer Server => _server.Value;
    public void Dispose()
    {
        if (_server.IsValueCreated) _server.Value.Dispose();
    }
}

[Xunit.CollectionDefinition(Name)]
public sealed class KnotDnsCollection : Xunit.ICollectionFixture<KnotDnsServerFixture>
{
    public const string Name = "Knot DNS server";
}

/// <summary>A UDP and TCP socket on loopback that accepts questions and never answers: a DNS timeout.</summary>
public sealed class SilentDnsServer : IDisposable
{
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;

    public SilentDnsServer()
    {
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_udp.Client.LocalEndPoint).Port;
        _tcp = new TcpListener(IPAddress.Loopback, Port);
        try { _tcp.Start(); } catch (SocketException) { _tcp = null; }
    }

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";
    public DnsServerEndpoint Endpoint => new DnsServerEndpoint(IPAddress.Loopback, Port);

    public void Dispose()
    {
        _udp.Dispose();
        _tcp?.Stop();
    }
}
