using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Readiness;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Readiness;

[Collection(KnotDnsCollection.Name)]
public sealed class MailDomainTesterTests
{
    private readonly KnotDnsServer _dns;

    public MailDomainTesterTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private Task<MailDomainReadiness> Test(string domain, params string[] selectors) =>
        new MailDomainTester(_dns.CreateResolver(retries: 0)).TestAsync(domain, selectors, SenderRequirement.All);

    private static MailDomainCheck Row(MailDomainReadiness r, string check) => r.Checks.Single(c => c.Check == check);

    [Fact]
    public async Task Compliant_domain_passes_every_checkable_requirement()
    {
        var r = await Test("compliant.ready.test", "s2048");
        Assert.Equal(MailDomainCheckStatus.Ok, r.Status);
        Assert.All(r.Checks.Where(c => c.Checkable), c => Assert.Equal(MailDomainCheckStatus.Ok, c.Status));
        Assert.Contains("1 of 10 DNS lookups", Row(r, "Spf.Limits").Detail);
        Assert.Contains("2048 bits", Row(r, "Dkim.s2048").Detail);
        Assert.Equal(MailDomainCheckStatus.Ok, Row(r, "Gmail.Alignment").Status);
        Assert.Equal("Summary", r.Summary.Check);
        Assert.Contains("every DNS-checkable requirement is met", r.Summary.Detail);
    }

    [Theory]
    [InlineData("nothing.ready.test", new string[0], MailDomainCheckStatus.Warning, "give -DkimSelector")]   // no SPF, DKIM not asked about: not known
    [InlineData("nothing.ready.test", new[] { "s2048" }, MailDomainCheckStatus.Fail, "Neither a usable DKIM key")] // no SPF, no key: known
    [InlineData("broken.test", new[] { "s2048" }, MailDomainCheckStatus.Error, "A lookup failed")]                  // SERVFAIL: could not find out
    public async Task Alignment_without_spf_tells_not_there_from_not_asked_and_from_could_not_find_out(string domain, string[] selectors, MailDomainCheckStatus status, string detail)
    {
        var r = await Test(domain, selectors);
        foreach (var provider in new[] { "Gmail", "Yahoo", "Microsoft" })
        {
            var row = Row(r, provider + ".Alignment");
            Assert.Equal(status, row.Status);
            Assert.Contains(detail, row.Detail);
        }
    }

    [Fact]
    public async Task Ptr_and_unsubscribe_are_noted_as_not_checkable()
    {
        var r = await Test("compliant.ready.test", "s2048");
        var notes = r.Checks.Where(c => !c.Checkable).Select(c => c.Check).ToList();
        Assert.Equal(new[] { "Gmail.ReverseDns", "Gmail.Unsubscribe", "Yahoo.ReverseDns", "Yahoo.Unsubscribe", "Microsoft.ReverseDns", "Microsoft.Unsubscribe" }, notes);
        Assert.All(r.Checks.Where(c => !c.Checkable), c => Assert.Equal(MailDomainCheckStatus.NotCheckable, c.Status));
        Assert.Equal(MailDomainCheckStatus.Ok, r.Status);
    }

    [Fact]
    public async Task Rows_leave_out_the_not_checkable_requirements_unless_asked()
    {
        var r = await Test("compliant.ready.test", "s2048");
        Assert.DoesNotContain(r.ToRows(), c => c.Status == MailDomainCheckStatus.NotCheckable);
        Assert.All(r.ToRows(), c => Assert.Equal(MailDomainCheckStatus.Ok, c.Status));
        Assert.Equal(6, r.ToRows(includeNotCheckable: true).Count(c => c.Status == MailDomainCheckStatus.NotCheckable));
        Assert.Contains("6 requirement(s) not checkable from DNS", r.Summary.Detail);
    }

    [Fact]
    public async Task Missing_dmarc_fails_dmarc_and_every_provider()
    {
        var r = await Test("nodmarc.ready.test", "s2048");
        Assert.Equal(MailDomainCheckStatus.Fail, Row(r, "Dmarc.Present").Status);
        Assert.Contains("_dmarc.nodmarc.ready.test", Row(r, "Dmarc.Present").Detail);
        Assert.Equal(MailDomainCheckStatus.Fail, Row(r, "Gmail.Dmarc").Status);
        Assert.Equal(MailDomainCheckStatus.Fail, Row(r, "Microsoft.Dmarc").Status);
        Assert.Equal(MailDomainCheckStatus.Fail, r.Status);
        Assert.Contains("Gmail.Dmarc", r.Summary.Detail);
    }

    [Fact]
    public async Task Plus_all_fails_and_missing_rua_warns()
    {
        var r = await Test("passall.ready.test", "s2048");
        Assert.Equal(MailDomainCheckStatus.Fail, Row(r, "Spf.All").Status);
        Assert.Contains("+all", Row(r, "Spf.All").Detail);
        Assert.Equal(MailDomainCheckStatus.Warning, Row(r, "Dmarc.Reporting").Status);
        Assert.Equal(MailDomainCheckStatus.Ok, Row(r, "Dmarc.Policy").Status);
    }

    [Fact]
    public async Task Weak_dkim_keys_warn_at_1024_and_fail_under()
    {
        var r = await Test("weakkey.ready.test", "s1024", "s512", "missing");
        Assert.Equal(MailDomainCheckStatus.Warning, Row(r, "Dkim.s1024").Status);
        Assert.Contains("2048 bits are recommended", Row(r, "Dkim.s1024").Detail);
        Assert.Equal(MailDomainCheckStatus.Fail, Row(r, "Dkim.s512").Status);
        Assert.Equal(MailDomainCheckStatus.Fail, Row(r, "Dkim.missing").Status);
        // One usable key is enough to authenticate.
        Assert.Equal(MailDomainCheckStatus.Ok, Row(r, "Yahoo.Authentication").Status);
    }

    [Fact]
    public async Task Null_mx_and_spf_redirect_are_recognized()
    {
        var r = await Test("nullmx.ready.test", "s2048");
        Assert.Equal(MailDomainCheckStatus.Ok, Row(r, "Mx").Status);
        Assert.Contains("null MX", Row(r, "Mx").Detail);
        Assert.Equal(MailDomainCheckStatus.Ok, Row(r, "Spf.All").Status);
        Assert.Contains("through _spf.compliant.ready.test", Row(r, "Spf.All").Detail);
    }

    [Fact]
    public async Task No_selector_warns_that_dkim_cannot_be_listed()
    {
        var r = await Test("compliant.ready.test");
        Assert.Equal(MailDomainCheckStatus.Warning, Row(r, "Dkim").Status);
        Assert.Equal(MailDomainCheckStatus.Warning, Row(r, "Gmail.Authentication").Status);
        Assert.Equal(MailDomainCheckStatus.Warning, r.Status);
    }

    [Fact]
    public async Task Servfail_is_error_not_fail()
    {
        var r = await Test("broken.test", "s2048");
        Assert.Equal(MailDomainCheckStatus.Error, Row(r, "Spf.Present").Status);
        Assert.Equal(MailDomainCheckStatus.Error, Row(r, "Dmarc.Present").Status);
        Assert.Equal(MailDomainCheckStatus.Error, Row(r, "Mx").Status);
        Assert.Equal(MailDomainCheckStatus.Error, Row(r, "Dkim.s2048").Status);
        Assert.Equal(MailDomainCheckStatus.Error, r.Status);
        Assert.DoesNotContain(r.Checks, c => c.Status == MailDomainCheckStatus.Fail);
    }

    [Fact]
    public async Task Timeout_is_error_not_fail()
    {
        using var proxy = new SelectiveSilenceDnsProxy(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _dns.Port), "slow");
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { proxy.Endpoint }, Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 });
        var r = await new MailDomainTester(resolver).TestAsync("slow.ready.test", new[] { "s1" }, SenderRequirement.Gmail);
        Assert.Equal(MailDomainCheckStatus.Error, Row(r, "Spf.Present").Status);
        Assert.Contains("Timeout", Row(r, "Spf.Present").Detail);
        Assert.DoesNotContain(r.Checks, c => c.Status == MailDomainCheckStatus.Fail);
        Assert.True(proxy.Silenced > 0);
    }

    [Fact]
    public async Task Requirement_selects_the_provider_rows()
    {
        var r = await new MailDomainTester(_dns.CreateResolver(retries: 0)).TestAsync("compliant.ready.test", new[] { "s2048" }, SenderRequirement.Microsoft);
        Assert.Contains(r.Checks, c => c.Check == "Microsoft.Dmarc");
        Assert.DoesNotContain(r.Checks, c => c.Check.StartsWith("Gmail.", StringComparison.Ordinal) || c.Check.StartsWith("Yahoo.", StringComparison.Ordinal));
    }

    private static readonly string[] ReadyDomains = { "compliant.ready.test", "nodmarc.ready.test", "passall.ready.test", "weakkey.ready.test", "nullmx.ready.test" };

    private static string Describe(MailDomainReadiness r) => string.Join("\n", r.Checks.Select(c => $"{c.Check} {c.Status} {c.Detail}"));

    [Fact]
    public async Task Many_domains_tested_at_once_through_one_cache_report_every_check_as_one_at_a_time_does()
    {
        var selectors = new[] { "s2048", "s1024", "s512" };
        var alone = await Task.WhenAll(ReadyDomains.Select(d => new MailDomainTester(_dns.CreateResolver()).TestAsync(d, selectors)));
        var shared = new MailDomainTester(new CachingResolver(_dns.CreateResolver()));
        var together = await Task.WhenAll(Enumerable.Range(0, 20).SelectMany(_ => ReadyDomains).Select(d => shared.TestAsync(d, selectors)));
        foreach (var r in together)
        {
            var expected = alone.Single(a => a.Domain == r.Domain);
            Assert.Equal(Describe(expected), Describe(r));
        }
    }

    [Fact]
    public async Task A_domain_waiting_on_a_silent_server_does_not_hold_the_others()
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _dns.Port), "slow");
        var resolver = new CachingResolver(new StubResolver(new DnsResolverOptions { Servers = new[] { proxy.Endpoint }, Timeout = TimeSpan.FromSeconds(60), Retries = 0 }));
        var tester = new MailDomainTester(resolver);
        using var cancel = new CancellationTokenSource();
        var slow = tester.TestAsync("slow.ready.test", new[] { "s2048" }, SenderRequirement.All, cancel.Token);
        var others = await Task.WhenAll(ReadyDomains.Select(d => tester.TestAsync(d, new[] { "s2048" }, SenderRequirement.All, cancel.Token)));
        Assert.False(slow.IsCompleted, "the others finished while the silent server still held the slow domain");
        Assert.All(others, r => Assert.DoesNotContain(r.Checks, c => c.Status == MailDomainCheckStatus.Error));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task Cancelling_stops_a_domain_whose_lookups_wait_on_a_silent_server()
    {
        using var proxy = new SelectiveSilenceDnsProxy(new IPEndPoint(IPAddress.Loopback, _dns.Port), "slow");
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { proxy.Endpoint }, Timeout = TimeSpan.FromSeconds(60), Retries = 0 });
        using var cancel = new CancellationTokenSource();
        var slow = new MailDomainTester(resolver).TestAsync("slow.ready.test", new[] { "s1" }, SenderRequirement.All, cancel.Token);
        while (proxy.Silenced == 0) await Task.Delay(20);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }
}
