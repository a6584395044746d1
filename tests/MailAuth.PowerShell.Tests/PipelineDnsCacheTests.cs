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

    /// <summary>
    /// Runs each script as its own pipeline in one session, with the proxy's address as $args[0]; returns the
    /// last pipeline's include trees and how often shared.spf.test reached the network.
    /// </summary>
    private (string[] Trees, int SharedAsked) Run(params string[] scripts)
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _dns.Port));
        using var ps = new PowerShellSession();
        PipelineResult last = null;
        foreach (var script in scripts) last = ps.Run(script, proxy.Address).ThrowOnError();
        var trees = last.Output.Select(o => o.Properties["Tree"].Value).Select(tree => string.Join(">",
            ((System.Collections.IEnumerable)tree.GetType().GetMethod("Flatten").Invoke(tree, null)).Cast<object>().Select(n => n.GetType().GetProperty("Domain").GetValue(n))));
        return (trees.ToArray(), proxy.Asked("shared.spf.test"));
    }

    [Fact]
    public void Two_domains_in_one_pipeline_that_include_the_same_name_ask_it_once()
    {
        var (trees, asked) = Run("'left.spf.test', 'right.spf.test' | Get-SpfRecord -Expand -Server $args[0]");

        Assert.Equal(new[] { "left.spf.test>shared.spf.test", "right.spf.test>shared.spf.test" }, trees);
        Assert.Equal(1, asked);
    }

    [Fact]
    public void Two_cmdlets_of_one_pipeline_share_the_cache()
    {
        var (trees, asked) = Run("$s = $args[0]; Get-SpfRecord left.spf.test -Expand -Server $s | ForEach-Object { $_; Get-SpfRecord right.spf.test -Expand -Server $s }");

        Assert.Equal(new[] { "left.spf.test>shared.spf.test", "right.spf.test>shared.spf.test" }, trees);
        Assert.Equal(1, asked);
    }

    [Fact]
    public void A_new_pipeline_asks_again()
    {
        var (trees, asked) = Run("Get-SpfRecord left.spf.test -Expand -Server $args[0]", "Get-SpfRecord right.spf.test -Expand -Server $args[0]");

        Assert.Equal(new[] { "right.spf.test>shared.spf.test" }, trees);
        Assert.Equal(2, asked);
    }

    [Fact]
    public void Cmdlets_with_other_dns_settings_do_not_share_a_cache()
    {
        var (_, asked) = Run("$s = $args[0]; Get-SpfRecord left.spf.test -Expand -Server $s | ForEach-Object { Get-SpfRecord right.spf.test -Expand -Server $s -DnsTimeoutSec 5 }");

        Assert.Equal(2, asked);
    }
}
