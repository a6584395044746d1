using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using DnsClient;
using MailAuth.Dns;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// A real authoritative DNS server (Knot DNS, Debian's knot package) on a free loopback port,
/// serving every zone file in tests/data/zones/ (file name = zone name + ".zone") with the configuration in
/// tests/data/zones/knot.conf.template, which the Pester suite uses too. A zone file asks for its own
/// settings in "; knot: " comments: <c>noudp.test</c> is served with mod-noudp, so every UDP answer is
/// truncated and the client must retry over TCP; <c>broken.test</c> and the others marked
/// "; knot: does-not-load" do not load, so Knot answers SERVFAIL for them. Start it once per test
/// collection through <see cref="KnotDnsServerFixture"/>. It is ready when every zone that should load gives
/// an authoritative SOA answer for its apex and every zone that does not load gives SERVFAIL.
/// </summary>
public sealed class KnotDnsServer : IDisposable
{
    private readonly IReadOnlyCollection<string> _zonesThatDoNotLoad;
    private readonly TimeSpan _startTimeout;

    private readonly Process _process;
    private readonly string _workDir;

    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";
    public DnsServerEndpoint Endpoint => new DnsServerEndpoint(IPAddress.Loopback, Port);

    /// <summary>The configuration knotd runs with, for <c>knotc -c</c> (zone-reload after a zone file changed).</summary>
    public string ConfigPath => Path.Combine(_workDir, "knot.conf");

    /// <param name="zoneDirectory">The zone files, one per zone: &lt;zone&gt;.zone, root.zone for ".".</param>
    /// <param name="zonesThatDoNotLoad">The zones expected to give SERVFAIL; default: those whose zone file says "; knot: does-not-load".</param>
    /// <param name="startTimeout">How long to wait for every zone to be served; default 30 s.</param>
    public KnotDnsServer(string zoneDirectory, IReadOnlyCollection<string> zonesThatDoNotLoad = null, TimeSpan? startTimeout = null)
    {
        _startTimeout = startTimeout ?? TimeSpan.FromSeconds(30);
        var knotd = FindExecutable("knotd")
            ?? throw new InvalidOperationException("knotd is not installed. Install Debian's knot package (apt-get install knot); .ci/run does this.");
        Port = FreePort();
        _workDir = Path.Combine(Path.GetTempPath(), "mailauth-knot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDir);
        var zones = Directory.GetFiles(zoneDirectory, "*.zone").OrderBy(f => f, StringComparer.Ordinal).ToList();
        var list = new StringBuilder();
        var doNotLoad = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in zones)
        {
            var zone = ZoneName(file);
            list.AppendLine($"  - domain: {zone}");
            if (zone == ".") list.AppendLine("    file: \"root.zone\"");
            foreach (var setting in ZoneSettings(file))
            {
                if (setting == "does-not-load") doNotLoad.Add(zone);
                else list.AppendLine("    " + setting);
            }
        }
        _zonesThatDoNotLoad = zonesThatDoNotLoad ?? doNotLoad;
        var conf = File.ReadAllText(RepositoryPaths.DataFile("zones", "knot.conf.template"))
            .Replace("@RUNDIR@", _workDir)
            .Replace("@PORT@", Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("@ZONEDIR@", zoneDirectory)
            .Replace("@ZONES@", list.ToString().TrimEnd());
        File.WriteAllText(Path.Combine(_workDir, "knot.conf"), conf);

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

        try
        {
            WaitUntilServed(zoneDirectory, zones.Select(ZoneName).ToList(), log);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until every zone answers as it should (see the class summary), or throws naming the zones that
    /// do not, with their last answer and Knot's log.
    /// </summary>
    private void WaitUntilServed(string zoneDirectory, IReadOnlyList<string> zones, StringBuilder log)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, Port))
        {
            UseCache = false,
            Timeout = TimeSpan.FromMilliseconds(500),
            Retries = 0,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            UseTcpFallback = true,
        });
        var pending = zones.ToDictionary(z => z, z => "not asked yet", StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + _startTimeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"knotd exited with {_process.ExitCode} before it served every zone. Knot's log:{Environment.NewLine}{Log(log)}");
            foreach (var zone in pending.Keys.ToList())
            {
                var (served, answer) = Probe(client, zone, _zonesThatDoNotLoad.Contains(zone));
                if (served) pending.Remove(zone);
                else pending[zone] = answer;
            }
            if (pending.Count == 0) return;
            if (DateTime.UtcNow > deadline)
            {
                var missing = string.Join(Environment.NewLine, pending.Select(p => $"  {p.Key}: expected {(_zonesThatDoNotLoad.Contains(p.Key) ? "SERVFAIL (it does not load on purpose)" : "an authoritative SOA answer")}, got {p.Value}"));
                throw new InvalidOperationException(
                    $"knotd on port {Port} did not serve every zone of {zoneDirectory} within {_startTimeout.TotalSeconds:0} s:{Environment.NewLine}{missing}{Environment.NewLine}" +
                    $"A zone file that should not load must say so in a \"; knot: does-not-load\" line. Knot's log:{Environment.NewLine}{Log(log)}");
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>The zone a file holds: its name without ".zone"; root.zone is ".".</summary>
    private static string ZoneName(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        return name == "root" ? "." : name;
    }

    /// <summary>The settings a zone file asks for in its leading "; knot: " comments.</summary>
    private static IEnumerable<string> ZoneSettings(string file) =>
        File.ReadLines(file).TakeWhile(l => l.StartsWith(";", StringComparison.Ordinal))
            .Where(l => l.StartsWith("; knot: ", StringComparison.Ordinal)).Select(l => l.Substring("; knot: ".Length).Trim());

    /// <summary>Asks for the zone's SOA: served means the answer this zone should give; otherwise what came back.</summary>
    private static (bool Served, string Answer) Probe(LookupClient client, string zone, bool doesNotLoad)
    {
        IDnsQueryResponse response;
        try
        {
            response = client.Query(zone, QueryType.SOA);
        }
        catch (DnsResponseException ex)
        {
            return (false, ex.Message);
        }
        var rcode = response.Header.ResponseCode;
        if (doesNotLoad) return (rcode == DnsHeaderResponseCode.ServerFailure, rcode.ToString());
        var apex = zone == "." ? "." : zone + ".";
        var soa = response.Answers.SoaRecords().Any(r => string.Equals(r.DomainName.Value, apex, StringComparison.OrdinalIgnoreCase));
        var served = rcode == DnsHeaderResponseCode.NoError && response.Header.HasAuthorityAnswer && soa;
        return (served, $"{rcode}{(response.Header.HasAuthorityAnswer ? " authoritative" : " not authoritative")}, {(soa ? "with" : "without")} the SOA record");
    }

    private static string Log(StringBuilder log)
    {
        lock (log) return log.Length == 0 ? "(empty)" : log.ToString();
    }

    /// <summary>A resolver that asks this server.</summary>
    public StubResolver CreateResolver(TimeSpan? timeout = null, int retries = 1) =>
        new StubResolver(new DnsResolverOptions { Servers = new[] { Endpoint }, Timeout = timeout ?? TimeSpan.FromSeconds(2), Retries = retries });

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
