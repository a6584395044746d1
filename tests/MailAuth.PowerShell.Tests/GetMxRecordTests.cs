using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

[Collection(KnotDnsCollection.Name)]
public sealed class GetMxRecordTests
{
    private readonly KnotDnsServer _dns;

    public GetMxRecordTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    [Fact]
    public void Lists_each_exchange_with_its_addresses()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-MxRecord -Domain mx.test -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(2, r.Output.Count);
        Assert.Equal("mx1.mx.test", r.Property(0, "Exchange"));
        Assert.Equal(10, r.Property(0, "Preference"));
        Assert.Equal("mx.test", r.Property(1, "Domain"));
        Assert.Equal(2, ((System.Collections.ICollection)r.Property(1, "Addresses")).Count);
    }

    [Fact]
    public void Null_mx_is_recognized()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-MxRecord nullmx.mx.test -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Single(r.Output);
        Assert.Equal(true, r.Property(0, "IsNullMx"));
        var codes = ps.Run("(Get-MxRecord nullmx.mx.test -Server $args[0]).Findings.Code", _dns.Address).Output.Select(o => o.ToString());
        Assert.Contains("MxNullMx", codes);
    }

    [Theory]
    [InlineData("mixednull.mx.test", "MxNullMxWithOtherRecords")]
    [InlineData("alias.mx.test", "MxTargetIsAlias")]
    [InlineData("noaddr.mx.test", "MxTargetNoAddress")]
    [InlineData("nomx.mx.test", "MxNotFound")]
    [InlineData("broken.test", "MxLookupFailed")]
    [InlineData("nullpref.mx.test", "MxNullMxPreference")]
    [InlineData("ipmx.mx.test", "MxTargetIsAddress")]
    [InlineData("mxservfail.mx.test", "MxTargetLookupFailed")]
    public void Each_finding_is_reported(string domain, string code)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("@(Get-MxRecord $args[0] -Server $args[1] -DnsRetryCount 0)[0].Findings | ForEach-Object Code", domain, _dns.Address);
        Assert.Contains(code, r.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Bad_items_are_non_terminating_errors_and_the_rest_still_get_results()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'mx.test', '', 'bad domain', 'MX.Test.' | Get-MxRecord -Server $args[0]", _dns.Address);
        Assert.Null(r.Terminating);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.ErrorIds, id => Assert.StartsWith("InvalidDomainName,", id));
        Assert.Equal(4, r.Output.Count);
        Assert.All(r.Output, o => Assert.Equal("mx.test", o.Properties["Domain"].Value));
    }

    [Fact]
    public void Binds_domain_by_property_name()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ Name = 'nullmx.mx.test' }, [pscustomobject]@{ Domain = 'mx.test' } | Get-MxRecord -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(3, r.Output.Count);
    }

    [Fact]
    public void Malformed_server_is_a_clear_error()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-MxRecord mx.test -Server '[::1' ");
        Assert.Contains(r.ErrorIds.Concat(new[] { (r.Terminating as System.Management.Automation.RuntimeException)?.ErrorRecord.FullyQualifiedErrorId ?? "" }),
            id => id.StartsWith("InvalidServerAddress"));
    }

    [Fact]
    public void Timeout_is_reported_as_error_not_as_missing()
    {
        using var silent = new SilentDnsServer();
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-MxRecord mx.test -Server $args[0] -DnsTimeoutSec 1 -DnsRetryCount 0", silent.Address);
        Assert.Equal(new[] { "DnsLookupFailed" }, r.ErrorIds.Select(id => id.Split(',')[0])); // beside the Status Error object
        Assert.Equal("Error", r.Property(0, "Status").ToString());
        Assert.Equal("Timeout", r.Property(0, "ErrorKind").ToString());
    }

    [Fact]
    public void Default_view_shows_the_exchanges()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format("Get-MxRecord mx.test -Server $args[0]", _dns.Address);
        Assert.Contains("Exchange", text);
        Assert.Contains("mx2.mx.test", text);
        Assert.Contains("192.0.2.26", text);
    }
}
