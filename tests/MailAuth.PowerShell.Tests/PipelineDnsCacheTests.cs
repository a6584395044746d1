using System.Linq;
using System.Net;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// The DNS cache that every MailAuth cmdlet of one pipeline shares (PipelineResolverCache), seen from outside:
/// the cmdlets ask Knot through a relaying proxy that counts the questions that really reach the network.
/// left.spf.test and right.spf.test both include shared.spf.test.
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class PipelineDnsCacheTests
{
    private readonly KnotDnsServer _dns;

    public PipelineDnsCacheTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private SelectiveSilenceDnsProxy CountingProxy() => new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _dns.Port));

    private static string[] IncludeTree(PipelineResult r) =>
        r.Output.Select(o => string.Join(">", ((System.Collections.IEnumerable)o.Properties["Tree"].Value.GetType().GetMethod("Flatten").Invoke(o.Properties["Tree"].Value, null))
            .Cast<object>().Select(n => n.GetType().GetProperty("Domain").GetValue(n)))).ToArray();

    [Fact]
    public void Two_domains_in_one_pipeline_that_include_the_same_name_ask_it_once()
    {
        using var proxy = CountingProxy();
        using var ps = new PowerShellSession();

        var r = ps.Run("'left.spf.test', 'right.spf.test' | Get-SpfRecord -Expand -Server $args[0]", proxy.Address).ThrowOnError();

        Assert.Equal(new[] { "left.spf.test>shared.spf.test", "right.spf.test>shared.spf.test" }, IncludeTree(r));
        Assert.Equal(1, proxy.Asked("shared.spf.test"));
    }

    [Fact]
    public void Two_cmdlets_of_one_pipeline_share_the_cache()
    {
        using var proxy = CountingProxy();
        using var ps = new PowerShellSession();

        var r = ps.Run("$s = $args[0]; Get-SpfRecord left.spf.test -Expand -Server $s | ForEach-Object { $_; Get-SpfRecord right.spf.test -Expand -Server $s }", proxy.Address).ThrowOnError();

        Assert.Equal(new[] { "left.spf.test>shared.spf.test", "right.spf.test>shared.spf.test" }, IncludeTree(r));
        Assert.Equal(1, proxy.Asked("shared.spf.test"));
    }

    [Fact]
    public void A_new_pipeline_asks_again()
    {
        using var proxy = CountingProxy();
        using var ps = new PowerShellSession();

        ps.Run("Get-SpfRecord left.spf.test -Expand -Server $args[0]", proxy.Address).ThrowOnError();
        ps.Run("Get-SpfRecord right.spf.test -Expand -Server $args[0]", proxy.Address).ThrowOnError();

        Assert.Equal(2, proxy.Asked("shared.spf.test"));
    }

    [Fact]
    public void Cmdlets_with_other_dns_settings_do_not_share_a_cache()
    {
        using var proxy = CountingProxy();
        using var ps = new PowerShellSession();

        ps.Run("$s = $args[0]; Get-SpfRecord left.spf.test -Expand -Server $s | ForEach-Object { Get-SpfRecord right.spf.test -Expand -Server $s -DnsTimeoutSec 5 }", proxy.Address).ThrowOnError();

        Assert.Equal(2, proxy.Asked("shared.spf.test"));
    }
}
