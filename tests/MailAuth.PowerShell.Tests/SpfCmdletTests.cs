using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>Get-SpfRecord and Test-Spf through the hosted PowerShell engine, against Knot serving spf.test.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class SpfCmdletTests
{
    private readonly KnotDnsServer _dns;

    public SpfCmdletTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    [Fact]
    public void Get_SpfRecord_returns_the_record_and_its_terms()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-SpfRecord good.spf.test -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Single(r.Output);
        Assert.Equal("Found", r.Property(0, "Status").ToString());
        Assert.Equal("Fail", r.Property(0, "All").ToString());
        Assert.StartsWith("v=spf1 ip4:192.0.2.0/25", (string)r.Property(0, "Record"));
        Assert.Null(r.Property(0, "Tree"));
        var terms = ps.Run("@(Get-SpfRecord good.spf.test -Server $args[0])[0].Terms | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.Qualifier, $_.Name, $_.Value, $_.Ip4CidrLength }", _dns.Address)
            .ThrowOnError().Output.Select(o => o.ToString()).ToList();
        Assert.Equal(new[] { "Pass|ip4|192.0.2.0/25|25", "Pass|a||", "Pass|mx||", "Pass|include|inc.spf.test|", "Fail|all||" }, terms);
    }

    [Fact]
    public void Get_SpfRecord_Expand_gives_the_tree_totals_and_networks()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-SpfRecord diamond.spf.test -Expand -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(4, r.Property(0, "DnsLookupCount"));
        Assert.Equal(0, r.Property(0, "VoidLookupCount"));
        var tree = ps.Run("@(Get-SpfRecord diamond.spf.test -Expand -Server $args[0])[0].Tree.Flatten() | ForEach-Object { '{0}{1}:{2}' -f (' ' * $_.Depth), $_.Domain, $_.DnsLookupCount }", _dns.Address)
            .ThrowOnError().Output.Select(o => o.ToString()).ToList();
        Assert.Equal(new[] { "diamond.spf.test:2", " left.spf.test:1", "  shared.spf.test:0", " right.spf.test:1", "  shared.spf.test:0" }, tree);
        var nets = ps.Run("@(Get-SpfRecord diamond.spf.test -Expand -Server $args[0])[0].AuthorizedNetworks | ForEach-Object ToString", _dns.Address).ThrowOnError();
        Assert.Equal(new[] { "203.0.113.0/24" }, nets.Output.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData("nospf.spf.test", "SpfNotFound")]
    [InlineData("broken.test", "SpfLookupFailed")]
    [InlineData("multiple.spf.test", "SpfMultipleRecords")]
    [InlineData("syntax.spf.test", "SpfSyntaxError")]
    [InlineData("ptr.spf.test", "SpfPtrMechanism")]
    [InlineData("passall.spf.test", "SpfPassAll")]
    [InlineData("neutralall.spf.test", "SpfNeutralAll")]
    [InlineData("noall.spf.test", "SpfNoAll")]
    [InlineData("toomany.spf.test", "SpfTooManyLookups")]
    [InlineData("voids.spf.test", "SpfTooManyVoidLookups")]
    [InlineData("loop.spf.test", "SpfIncludeLoop")]
    [InlineData("includenotfound.spf.test", "SpfIncludeNotFound")]
    [InlineData("includebroken.spf.test", "SpfIncludeLookupFailed")]
    [InlineData("includeinvalid.spf.test", "SpfIncludeInvalid")]
    [InlineData("manymx.spf.test", "SpfTooManyMxNames")]
    [InlineData("redirectall.spf.test", "SpfRedirectIgnored")]
    [InlineData("termsafter.spf.test", "SpfTermsAfterAll")]
    [InlineData("deprecated.spf.test", "SpfDeprecatedRecordType")]
    [InlineData("unknownmod.spf.test", "SpfUnknownModifier")]
    public void Each_finding_is_reported(string domain, string code)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("@(Get-SpfRecord $args[0] -Expand -Server $args[1] -DnsRetryCount 0)[0].Findings | ForEach-Object Code", domain, _dns.Address);
        Assert.Contains(code, r.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Get_SpfRecord_bad_items_are_non_terminating_and_the_rest_get_results()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'good.spf.test', '', 'bad domain', [pscustomobject]@{ Name = 'Passall.SPF.test.' } | Get-SpfRecord -Server $args[0]", _dns.Address);
        Assert.Null(r.Terminating);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.ErrorIds, id => Assert.StartsWith("InvalidDomainName,", id));
        Assert.Equal(new[] { "good.spf.test", "passall.spf.test" }, r.Output.Select(o => o.Properties["Domain"].Value));
    }

    [Fact]
    public void Get_SpfRecord_timeout_is_error_not_not_found()
    {
        using var silent = new SilentDnsServer();
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-SpfRecord good.spf.test -Server $args[0] -DnsTimeoutSec 1 -DnsRetryCount 0", silent.Address);
        Assert.Equal(new[] { "DnsLookupFailed" }, r.ErrorIds.Select(id => id.Split(',')[0])); // beside the Status Error object
        Assert.Equal("Error", r.Property(0, "Status").ToString());
        Assert.Equal("Timeout", r.Property(0, "ErrorKind").ToString());
    }

    [Fact]
    public void Test_Spf_passes_and_fails()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-Spf -IPAddress 192.0.2.10, 203.0.113.5 -MailFrom someone@good.spf.test -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(new[] { "Pass", "Fail" }, r.Output.Select(o => o.Properties["Result"].Value.ToString()));
        Assert.Equal("ip4:192.0.2.0/25", r.Property(0, "MatchedTerm"));
        Assert.Equal("good.spf.test", r.Property(1, "Domain"));
        Assert.True(((System.Collections.ICollection)r.Property(0, "Trace")).Count >= 3);
    }

    [Fact]
    public void Test_Spf_takes_many_ips_by_value()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'192.0.2.10', '198.51.100.130', '2001:db8:1::1', '203.0.113.9' | Test-Spf -MailFrom x@good.spf.test -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(new[] { "Pass", "Pass", "Pass", "Fail" }, r.Output.Select(o => o.Properties["Result"].Value.ToString()));
    }

    [Fact]
    public void Test_Spf_binds_ip_mailfrom_and_helo_by_property_name()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run(@"
            [pscustomobject]@{ IPAddress = '192.0.2.25'; MailFrom = ''; Helo = 'mail.spf.test' },
            [pscustomobject]@{ IPAddress = '192.0.2.11'; MailFrom = 'a@exp.spf.test' } | Test-Spf -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(2, r.Output.Count);
        Assert.Equal("Pass", r.Property(0, "Result").ToString());
        Assert.Equal("postmaster@mail.spf.test", r.Property(0, "MailFrom"));
        Assert.Equal("Fail", r.Property(1, "Result").ToString());
        Assert.Equal("192.0.2.11 is not one of exp.spf.test's senders", r.Property(1, "Explanation"));
    }

    [Fact]
    public void Test_Spf_invalid_ip_is_a_clear_non_terminating_error()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'192.0.2.10', 'not-an-ip', '1', '192.0.2.300' | Test-Spf -MailFrom x@good.spf.test -Server $args[0]", _dns.Address);
        Assert.Null(r.Terminating);
        Assert.Equal(3, r.Errors.Count);
        Assert.All(r.ErrorIds, id => Assert.StartsWith("InvalidIPAddress,", id));
        Assert.Contains("not-an-ip", r.Errors[0].Exception.Message);
        Assert.Single(r.Output);
    }

    [Fact]
    public void Test_Spf_without_any_identity_is_an_error()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-Spf 192.0.2.1 -MailFrom '' -Server $args[0]", _dns.Address);
        Assert.Contains(r.ErrorIds, id => id.StartsWith("MissingSpfIdentity,"));
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Test_Spf_servfail_and_timeout_are_temperror()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-Spf 192.0.2.1 -MailFrom x@includebroken.spf.test -Server $args[0] -DnsRetryCount 0", _dns.Address).ThrowOnError();
        Assert.Equal("TempError", r.Property(0, "Result").ToString());
        using var silent = new SilentDnsServer();
        var t = ps.Run("Test-Spf 192.0.2.1 -MailFrom x@good.spf.test -Server $args[0] -DnsTimeoutSec 1 -DnsRetryCount 0", silent.Address).ThrowOnError();
        Assert.Equal("TempError", t.Property(0, "Result").ToString());
    }

    [Fact]
    public void Test_Spf_writes_the_trace_as_verbose()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-Spf 198.51.100.1 -MailFrom x@good.spf.test -Server $args[0] -Verbose", _dns.Address).ThrowOnError();
        Assert.Contains(r.Verbose, v => v.Contains("include:inc.spf.test: evaluating inc.spf.test"));
    }

    [Fact]
    public void Default_views_show_the_key_columns()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format("Test-Spf 192.0.2.10 -MailFrom x@good.spf.test -Server $args[0]", _dns.Address);
        Assert.Contains("MatchedTerm", text);
        Assert.Contains("ip4:192.0.2.0/25", text);
        var record = ps.Format("Get-SpfRecord passall.spf.test -Server $args[0]", _dns.Address);
        Assert.Contains("SpfPassAll", record);
        var tree = ps.Format("(Get-SpfRecord diamond.spf.test -Expand -Server $args[0]).Tree.Flatten()", _dns.Address);
        Assert.Contains("include:shared.spf.test", tree);
        Assert.Contains("Lookups", tree);
    }

    [Fact]
    public void Pester_file_parses()
    {
        var path = System.IO.Path.Combine(RepositoryPaths.Root, "tests", "Pester", "Spf.Tests.ps1");
        System.Management.Automation.Language.Parser.ParseFile(path, out _, out var errors);
        Assert.Empty(errors);
    }
}
