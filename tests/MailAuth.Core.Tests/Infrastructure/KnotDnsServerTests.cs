using System;
using System.IO;
using System.Threading.Tasks;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Infrastructure;

/// <summary>The Knot fixture's readiness: every zone is probed, and a zone that does not come up is named with Knot's log.</summary>
public sealed class KnotDnsServerTests : IDisposable
{
    private readonly string _zones = Path.Combine(Path.GetTempPath(), "mailauth-zones-" + Guid.NewGuid().ToString("N"));

    public KnotDnsServerTests()
    {
        Directory.CreateDirectory(_zones);
        WriteZone("ok.test", "www IN A 192.0.2.1");
    }

    private void WriteZone(string zone, string body) => File.WriteAllText(Path.Combine(_zones, zone + ".zone"),
        $"$ORIGIN {zone}.\n$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1\n{body}\n");

    [Fact]
    public async Task Starts_when_the_first_zone_in_name_order_does_not_load_on_purpose()
    {
        WriteZone("0-first.test", "this line is not a resource record !!!");

        using var server = new KnotDnsServer(_zones, new[] { "0-first.test" });

        var ok = await server.CreateResolver().QueryAsync("www.ok.test", DnsRecordType.A);
        Assert.Equal(DnsResponseStatus.NoError, ok.Status);
        var broken = await server.CreateResolver().QueryAsync("0-first.test", DnsRecordType.TXT);
        Assert.Equal(DnsErrorKind.ServerFailure, broken.ErrorKind);
    }

    [Fact]
    public void A_zone_that_does_not_load_unexpectedly_is_named_with_knots_log()
    {
        WriteZone("new.test", "this line is not a resource record !!!");

        var ex = Assert.Throws<InvalidOperationException>(() => new KnotDnsServer(_zones, Array.Empty<string>(), TimeSpan.FromSeconds(3)));

        Assert.Contains("new.test: expected an authoritative SOA answer, got ServerFailure", ex.Message);
        Assert.DoesNotContain("ok.test: expected", ex.Message);
        Assert.Contains("[new.test.] zone loader", ex.Message);
        Assert.Contains("; knot: does-not-load", ex.Message);
    }

    [Fact]
    public void A_zone_listed_as_not_loading_that_loads_is_named()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new KnotDnsServer(_zones, new[] { "ok.test" }, TimeSpan.FromSeconds(3)));

        Assert.Contains("ok.test: expected SERVFAIL (it does not load on purpose), got NoError", ex.Message);
    }

    public void Dispose()
    {
        try { Directory.Delete(_zones, true); } catch (IOException) { }
    }
}
