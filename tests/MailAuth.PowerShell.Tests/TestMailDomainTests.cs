using System;
using System.Linq;
using System.Net;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

[Collection(KnotDnsCollection.Name)]
public sealed class TestMailDomainTests
{
    private readonly KnotDnsServer _dns;

    public TestMailDomainTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    [Fact]
    public void Writes_one_row_per_check_and_a_summary()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-MailDomain compliant.ready.test -DkimSelector s2048 -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.All(r.Output, o => Assert.Equal("MailAuth.Readiness.MailDomainCheck", o.BaseObject.GetType().FullName));
        var checks = r.Output.Select(o => o.Properties["Check"].Value.ToString()).ToList();
        Assert.Equal("Summary", checks.Last());
        Assert.Contains("Spf.All", checks);
        Assert.Contains("Dkim.s2048", checks);
        Assert.Contains("Yahoo.Dmarc", checks);
        Assert.Equal("Ok", r.Output.Last().Properties["Status"].Value.ToString());
    }

    [Theory]
    [InlineData("nodmarc.ready.test", "Dmarc.Present", "Fail")]
    [InlineData("passall.ready.test", "Spf.All", "Fail")]
    [InlineData("weakkey.ready.test", "Dkim.s2048", "Fail")]
    [InlineData("nullmx.ready.test", "Mx", "Ok")]
    [InlineData("broken.test", "Spf.Present", "Error")]
    public void Each_case_is_judged(string domain, string check, string status)
    {
        using var ps = new PowerShellSession();
        // -ErrorAction SilentlyContinue: broken.test's failed lookups also write DnsLookupFailed beside the rows.
        var r = ps.Run("Test-MailDomain $args[0] -DkimSelector s2048 -Server $args[1] -DnsRetryCount 0 -ErrorAction SilentlyContinue | Where-Object Check -eq $args[2] | ForEach-Object { [string]$_.Status }",
            domain, _dns.Address, check).ThrowOnError();
        Assert.Equal(status, Assert.Single(r.Output).ToString());
    }

    [Fact]
    public void Many_domains_run_concurrently_and_a_slow_one_does_not_hold_the_rest()
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _dns.Port), "slow");
        using var ps = new PowerShellSession();
        var domains = new[] { "slow.ready.test", "compliant.ready.test", "nodmarc.ready.test", "passall.ready.test", "weakkey.ready.test", "nullmx.ready.test" };
        var started = DateTime.UtcNow;
        var r = ps.Run("$args[0] | Test-MailDomain -DkimSelector s2048 -Server $args[1] -DnsTimeoutSec 2 -DnsRetryCount 0 -ThrottleLimit 8 | Where-Object Check -eq Summary | ForEach-Object { $_.Domain + '=' + $_.Status }",
            domains, proxy.Address);
        Assert.Equal(new[] { "DnsLookupFailed" }, r.ErrorIds.Select(id => id.Split(',')[0])); // the slow domain's, beside its rows
        var elapsed = DateTime.UtcNow - started;
        var lines = r.Output.Select(o => o.ToString()).ToList();
        Assert.Equal(6, lines.Count);
        // The slow domain was queued first, yet its result is written last; the others were not held back.
        Assert.Equal("slow.ready.test=Error", lines.Last());
        Assert.Contains("compliant.ready.test=Ok", lines);
        // Concurrent: six domains cost about one timeout, not six.
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public void Bad_domain_is_a_non_terminating_error_and_the_rest_still_run()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'compliant.ready.test', 'bad domain', '' | Test-MailDomain -DkimSelector s2048 -Server $args[0] | Where-Object Check -eq Summary", _dns.Address);
        Assert.Null(r.Terminating);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.ErrorIds, id => Assert.StartsWith("InvalidDomainName,", id));
        Assert.Single(r.Output);
    }

    [Fact]
    public void Progress_reports_where_it_stands()
    {
        // PowerShellSession does not keep the progress stream; read it from a pipeline of our own.
        using var runspace = OpenRunspace();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("Import-Module $args[0]; 'compliant.ready.test', 'nodmarc.ready.test', 'passall.ready.test' | Test-MailDomain -Server $args[1]")
            .AddArgument(PowerShellSession.ManifestPath).AddArgument(_dns.Address);
        ps.Invoke();
        var progress = ps.Streams.Progress.ToList();
        Assert.Contains(progress, p => p.StatusDescription == "3 of 3 domains tested" && p.PercentComplete == 100);
        Assert.Contains(progress, p => p.StatusDescription.StartsWith("1 of ", StringComparison.Ordinal));
        Assert.Equal(System.Management.Automation.ProgressRecordType.Completed, progress.Last().RecordType);
    }

    [Fact]
    public void Stop_cancels_promptly()
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _dns.Port), "slow");
        using var runspace = OpenRunspace();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("Import-Module $args[0]; Test-MailDomain slow.ready.test -Server $args[1] -DnsTimeoutSec 30 -DnsRetryCount 0")
            .AddArgument(PowerShellSession.ManifestPath).AddArgument(proxy.Address);
        var running = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (proxy.Silenced == 0 && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(50);
        Assert.True(proxy.Silenced > 0, "the query reached the silent proxy");
        var stopping = DateTime.UtcNow;
        ps.Stop();
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "stopped within 5 s of a 30 s timeout");
        Assert.True(DateTime.UtcNow - stopping < TimeSpan.FromSeconds(5));
        Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, ps.InvocationStateInfo.State);
    }

    [Fact]
    public void Requirement_limits_the_provider_rows()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-MailDomain compliant.ready.test -Requirement Yahoo -Server $args[0] | ForEach-Object Check", _dns.Address).ThrowOnError();
        var checks = r.Output.Select(o => o.ToString()).ToList();
        Assert.Contains("Yahoo.Authentication", checks);
        Assert.DoesNotContain(checks, c => c.StartsWith("Gmail.", StringComparison.Ordinal) || c.StartsWith("Microsoft.", StringComparison.Ordinal));
    }

    [Fact]
    public void Binds_domain_and_selector_by_property_name()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ Name = 'weakkey.ready.test'; DkimSelector = 's1024' } | Test-MailDomain -Server $args[0] | Where-Object Check -like 'Dkim*' | ForEach-Object { $_.Check + '=' + $_.Status }", _dns.Address).ThrowOnError();
        Assert.Equal("Dkim.s1024=Warning", Assert.Single(r.Output).ToString());
    }

    [Fact]
    public void Default_view_shows_checks()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format("Test-MailDomain nodmarc.ready.test -DkimSelector s2048 -Server $args[0]", _dns.Address);
        Assert.Contains("Dmarc.Present", text);
        Assert.Contains("Fail", text);
    }

    /// <summary>A runspace of our own, for what PowerShellSession does not expose (progress, Stop).</summary>
    private static System.Management.Automation.Runspaces.Runspace OpenRunspace()
    {
        var runspace = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
        runspace.Open();
        return runspace;
    }
}
