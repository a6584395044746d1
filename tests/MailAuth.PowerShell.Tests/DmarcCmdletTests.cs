using System.IO;
using System.Linq;
using System.Management.Automation;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>Get-DmarcRecord, New-DmarcRecord, Test-SpfAlignment and Test-DkimAlignment through the hosted engine, against Knot.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class DmarcCmdletTests
{
    private readonly KnotDnsServer _dns;

    public DmarcCmdletTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    [Fact]
    public void Get_DmarcRecord_reports_where_the_policy_was_found_and_which_applies()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-DmarcRecord exists.own.dmarc.test, ghost.own.dmarc.test -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(2, r.Output.Count);
        Assert.Equal("exists.own.dmarc.test", r.Property(0, "Domain"));
        Assert.Equal("own.dmarc.test", r.Property(0, "RecordDomain"));
        Assert.Equal("Found", r.Property(0, "Status").ToString());
        Assert.Equal("TreeWalk", r.Property(0, "DiscoveryMethod").ToString());
        Assert.Equal("Quarantine", r.Property(0, "AppliedPolicy").ToString());
        Assert.Equal("Reject", r.Property(1, "AppliedPolicy").ToString());
        Assert.Equal("NonExistentSubdomainPolicy", r.Property(1, "AppliedPolicySource").ToString());
        Assert.Equal("Strict", r.Property(0, "DkimAlignment").ToString());
        Assert.Contains("v=DMARC1; p=reject", (string)r.Property(0, "Record"));
    }

    [Fact]
    public void Get_DmarcRecord_psd_and_the_eight_query_cap()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-DmarcRecord www.shop.psd.dmarc.test, a.b.c.d.e.f.g.long.dmarc.test -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal("psd.dmarc.test", r.Property(0, "RecordDomain"));
        Assert.Equal("Yes", r.Property(0, "Psd").ToString());
        Assert.Equal(8, ((System.Collections.ICollection)r.Property(1, "Queries")).Count);
        Assert.Equal("long.dmarc.test", r.Property(1, "RecordDomain"));
    }

    [Fact]
    public void Get_DmarcRecord_legacy_psl_mode()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-DmarcRecord www.shop.psd.dmarc.test -DiscoveryMode Psl -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal("Psl", r.Property(0, "DiscoveryMethod").ToString());
        Assert.Equal("NotFound", r.Property(0, "Status").ToString());
    }

    [Fact]
    public void Get_DmarcRecord_loads_a_newer_public_suffix_list()
    {
        var path = Path.Combine(Path.GetTempPath(), "mailauth-psl-" + System.Guid.NewGuid() + ".dat");
        File.WriteAllText(path, "test\ndmarc.test\n");
        try
        {
            using var ps = new PowerShellSession();
            var r = ps.Run("Get-DmarcRecord exists.own.dmarc.test -DiscoveryMode Psl -PublicSuffixListPath $args[1] -Server $args[0]", _dns.Address, path).ThrowOnError();
            Assert.Equal("own.dmarc.test", r.Property(0, "RecordDomain"));
            Assert.Equal("Quarantine", r.Property(0, "AppliedPolicy").ToString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Unreadable_public_suffix_list_is_a_clear_error()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-DmarcRecord own.dmarc.test -DiscoveryMode Psl -PublicSuffixListPath /nonexistent/list.dat -Server $args[0]", _dns.Address);
        var id = (r.Terminating as RuntimeException)?.ErrorRecord.FullyQualifiedErrorId ?? string.Join(",", r.ErrorIds);
        Assert.StartsWith("PublicSuffixListUnreadable", id);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Servfail_mid_walk_is_error_not_not_found()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-DmarcRecord ok.sf.dmarc.test -Server $args[0] -DnsRetryCount 0", _dns.Address);
        Assert.Equal(new[] { "DnsLookupFailed" }, r.ErrorIds.Select(id => id.Split(',')[0])); // beside the Status Error object
        Assert.Equal("Error", r.Property(0, "Status").ToString());
        Assert.Equal("ServerFailure", r.Property(0, "ErrorKind").ToString());
    }

    [Fact]
    public void Timeout_is_reported_as_error_not_as_missing()
    {
        using var silent = new SilentDnsServer();
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-DmarcRecord own.dmarc.test -Server $args[0] -DnsTimeoutSec 1 -DnsRetryCount 0", silent.Address);
        Assert.Equal(new[] { "DnsLookupFailed" }, r.ErrorIds.Select(id => id.Split(',')[0])); // beside the Status Error object
        Assert.Equal("Error", r.Property(0, "Status").ToString());
        Assert.Equal("Timeout", r.Property(0, "ErrorKind").ToString());
        Assert.Contains("lookup failed: Timeout", ps.Format("Get-DmarcRecord own.dmarc.test -Server $args[0] -DnsTimeoutSec 1 -DnsRetryCount 0 -ErrorAction SilentlyContinue", silent.Address));
    }

    [Theory]
    [InlineData("nothing.dmarc.test", "DmarcNotFound")]
    [InlineData("ok.sf.dmarc.test", "DmarcLookupFailed")]
    [InlineData("multi.dmarc.test", "DmarcMultipleRecords")]
    [InlineData("badp.dmarc.test", "DmarcInvalidPolicy")]
    [InlineData("badpnorua.dmarc.test", "DmarcPolicyUnusable")]
    [InlineData("legacy.dmarc.test", "DmarcRemovedTag")]
    [InlineData("testing.dmarc.test", "DmarcTestingMode")]
    [InlineData("seed.dmarc.test", "DmarcPolicyNone")]
    [InlineData("seed.dmarc.test", "DmarcNoAggregateReports")]
    [InlineData("exists.own.dmarc.test", "DmarcPolicyInherited")]
    [InlineData("www.shop.psd.dmarc.test", "DmarcPublicSuffixPolicy")]
    [InlineData("ext.dmarc.test", "DmarcExternalReportAuthorized")]
    [InlineData("ext.dmarc.test", "DmarcExternalReportNotAuthorized")]
    [InlineData("ext.dmarc.test", "DmarcExternalReportCheckFailed")]
    [InlineData("a.b.c.d.e.f.g.long.dmarc.test", "DmarcTreeWalkShortened")]
    public void Each_finding_is_reported(string domain, string code)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("@(Get-DmarcRecord $args[0] -Server $args[1] -DnsRetryCount 0)[0].Findings | ForEach-Object Code", domain, _dns.Address);
        Assert.Contains(code, r.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Bad_items_are_non_terminating_and_the_rest_get_results()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'own.dmarc.test', '', 'bad domain', 'OWN.dmarc.test.' | Get-DmarcRecord -Server $args[0]", _dns.Address);
        Assert.Null(r.Terminating);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.ErrorIds, id => Assert.StartsWith("InvalidDomainName,", id));
        Assert.Equal(2, r.Output.Count);
        Assert.All(r.Output, o => Assert.Equal("own.dmarc.test", o.Properties["Domain"].Value));
    }

    [Fact]
    public void Binds_domain_by_property_name_and_accepts_record_names()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ Name = '_dmarc.own.dmarc.test' }, [pscustomobject]@{ Domain = 'ghost.own.dmarc.test' } | Get-DmarcRecord -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(new[] { "own.dmarc.test", "ghost.own.dmarc.test" }, r.Output.Select(o => (string)o.Properties["Domain"].Value));
    }

    [Fact]
    public void Default_view_shows_domain_policy_and_record()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format("Get-DmarcRecord exists.own.dmarc.test -Server $args[0]", _dns.Address);
        Assert.Contains("at own.dmarc.test: v=DMARC1", text); // inherited: the record column names where it was found
        Assert.Contains("own.dmarc.test", text);
        Assert.Contains("Quarantine", text);
    }

    [Fact]
    public void New_DmarcRecord_reproduces_the_seed_records()
    {
        using var ps = new PowerShellSession();
        // seed 002: TXT _dmarc.domainname.com "v=DMARC1; p=none;"
        var r = ps.Run("New-DmarcRecord -Domain domainname.com -Policy none -ReportUri mailto:dmarc@domainname.com").ThrowOnError();
        Assert.Equal("_dmarc.domainname.com", r.Property(0, "Name"));
        Assert.Equal("TXT", r.Property(0, "Type"));
        Assert.Equal("v=DMARC1; p=none; rua=mailto:dmarc@domainname.com;", r.Property(0, "Value"));
        var bare = ps.Run("New-DmarcRecord domainname.com none 3>$null").ThrowOnError();
        Assert.Equal("v=DMARC1; p=none;", bare.Property(0, "Value"));
        Assert.Equal(3600, bare.Property(0, "Ttl"));
        Assert.Equal("DMARC policy", bare.Property(0, "Purpose"));
        // seed 004: "v=DMARC1;p=quarantine;pct=25;rua=mailto:dmarcreports@example.com" (pct= is gone in RFC 9989)
        var q = ps.Run("New-DmarcRecord example.com -Policy quarantine -ReportUri dmarcreports@example.com").ThrowOnError();
        Assert.Equal("v=DMARC1; p=quarantine; rua=mailto:dmarcreports@example.com;", q.Property(0, "Value"));
    }

    [Fact]
    public void New_DmarcRecord_writes_every_tag()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("New-DmarcRecord example.com -Policy reject -SubdomainPolicy quarantine -NonExistentSubdomainPolicy reject -DkimAlignment Strict -SpfAlignment Relaxed -ReportUri a@example.com,mailto:b@example.com -FailureReportUri mailto:f@example.com -FailureOptions d,s -Testing -Ttl 300").ThrowOnError();
        Assert.Equal("v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r; rua=mailto:a@example.com,mailto:b@example.com; ruf=mailto:f@example.com; fo=d:s; t=y;", r.Property(0, "Value"));
        Assert.Equal(300, r.Property(0, "Ttl"));
        // The record it builds parses back cleanly.
        var parsed = MailAuth.Dmarc.DmarcRecordParser.Parse((string)r.Property(0, "Value"));
        Assert.DoesNotContain(parsed.Findings, f => f.Severity != MailAuth.Common.FindingSeverity.Info);
    }

    [Fact]
    public void New_DmarcRecord_bad_input_is_non_terminating()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'a.example', 'b.example' | New-DmarcRecord -Policy none -ReportUri 'not an address'; 'c.example', 'bad domain' | New-DmarcRecord -Policy none -FailureOptions x -FailureReportUri f@c.example; 'e.example' | New-DmarcRecord -Policy none -ReportUri mailto:r@e.example!10m; 'd.example' | New-DmarcRecord -Policy reject -ReportUri r@d.example");
        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "DmarcInvalidReportUri", "DmarcInvalidReportUri", "DmarcInvalidFailureOptions", "InvalidDomainName", "DmarcInvalidReportUri" }, r.ErrorIds.Select(id => id.Split(',')[0]));
        Assert.Equal("_dmarc.d.example", Assert.Single(r.Output).Properties["Name"].Value);
    }

    [Fact]
    public void New_DmarcRecord_warns_about_external_and_missing_report_addresses()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("New-DmarcRecord example.com -Policy none -FailureOptions 1").ThrowOnError();
        Assert.Contains(r.Warnings, w => w.StartsWith("DmarcFailureOptionsWithoutRuf"));
        Assert.Contains(r.Warnings, w => w.StartsWith("DmarcNoAggregateReports"));
    }

    [Fact]
    public void New_DmarcRecord_output_pipes_into_Get_DmarcRecord()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("New-DmarcRecord own.dmarc.test -Policy reject -ReportUri r@own.dmarc.test | Get-DmarcRecord -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal("own.dmarc.test", r.Property(0, "RecordDomain"));
    }

    [Theory]
    [InlineData("user@exists.own.dmarc.test", "bounce@mail.own.dmarc.test", "Relaxed", true)]
    [InlineData("user@exists.own.dmarc.test", "bounce@mail.own.dmarc.test", "Strict", false)]
    [InlineData("user@x.unit.corp.dmarc.test", "y.other.corp.dmarc.test", "Relaxed", false)]
    [InlineData("user@www.shop.psd.dmarc.test", "mail.shop.psd.dmarc.test", "Relaxed", true)]
    [InlineData("user@www.shop.psd.dmarc.test", "member.psd.dmarc.test", "Relaxed", false)]
    public void Test_SpfAlignment_table(string from, string mailFrom, string mode, bool aligned)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-SpfAlignment -HeaderFrom $args[0] -MailFrom $args[1] -Mode $args[2] -Server $args[3]", from, mailFrom, mode, _dns.Address).ThrowOnError();
        Assert.Equal(aligned, r.Property(0, "Aligned"));
        Assert.Equal(mode, r.Property(0, "Mode").ToString());
        Assert.NotNull(r.Property(0, "MailFromOrganizationalDomain"));
    }

    [Fact]
    public void Test_SpfAlignment_takes_spf_results_by_property_name()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ MailFrom = 'bounce@mail.own.dmarc.test'; HeaderFrom = 'a@own.dmarc.test' }, [pscustomobject]@{ MailFrom = 'x@amazonses.com'; HeaderFrom = 'a@own.dmarc.test' } | Test-SpfAlignment -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.Properties["Aligned"].Value));
        Assert.Equal("mail.own.dmarc.test", r.Property(0, "MailFromDomain"));
        Assert.Equal("own.dmarc.test", r.Property(0, "HeaderFromOrganizationalDomain"));
    }

    [Fact]
    public void Null_mail_from_aligns_the_helo_domain()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ MailFrom = ''; Helo = 'mx.mail.own.dmarc.test'; HeaderFrom = 'a@own.dmarc.test' } | Test-SpfAlignment -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal("mx.mail.own.dmarc.test", r.Property(0, "MailFromDomain"));
        Assert.Equal(true, r.Property(0, "Aligned"));
    }

    [Fact]
    public void Test_DkimAlignment_is_the_twin()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-DkimAlignment -HeaderFrom a@exists.own.dmarc.test -SigningDomain own.dmarc.test -Server $args[0]; [pscustomobject]@{ Domain = 'amazonses.com' } | Test-DkimAlignment -HeaderFrom a@own.dmarc.test -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(true, r.Property(0, "Aligned"));
        Assert.Equal("own.dmarc.test", r.Property(0, "SigningDomain"));
        Assert.Equal(false, r.Property(1, "Aligned"));
        Assert.Equal("Dkim", r.Property(1, "IdentifierKind").ToString());
    }

    [Fact]
    public void Alignment_with_dns_failure_warns_and_is_not_aligned()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-DkimAlignment -HeaderFrom a@ok.sf.dmarc.test -SigningDomain other.ok.sf.dmarc.test -Server $args[0] -DnsRetryCount 0", _dns.Address).ThrowOnError();
        Assert.Equal(false, r.Property(0, "Aligned"));
        Assert.Equal(true, r.Property(0, "IsError"));
        Assert.NotEmpty(r.Warnings);
    }

    [Fact]
    public void Alignment_bad_input_is_non_terminating()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ MailFrom = 'bad domain'; HeaderFrom = 'a@own.dmarc.test' }, [pscustomobject]@{ MailFrom = 'own.dmarc.test'; HeaderFrom = 'a@own.dmarc.test' } | Test-SpfAlignment -Server $args[0]", _dns.Address);
        Assert.Null(r.Terminating);
        Assert.StartsWith("InvalidDomainName", Assert.Single(r.ErrorIds));
        Assert.Single(r.Output);
    }

    [Fact]
    public void Cmdlet_types_load_without_MailAuth_Core()
    {
        // PowerShell calls GetExportedTypes before the module initializer registers the Dependencies/ resolver;
        // a value-type field from MailAuth.Core (an enum parameter) would make Import-Module fail outside this test host.
        using var ps = new PowerShellSession();
        var assembly = System.AppDomain.CurrentDomain.GetAssemblies().First(a => a.GetName().Name == "MailAuth.PowerShell");
        var offending = assembly.GetExportedTypes()
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(f => (System.Nullable.GetUnderlyingType(f.FieldType) ?? f.FieldType).IsValueType
                    && (System.Nullable.GetUnderlyingType(f.FieldType) ?? f.FieldType).Assembly == typeof(MailAuth.Dmarc.DmarcPolicy).Assembly)
                .Select(f => t.Name + "." + f.Name))
            .ToList();
        Assert.Empty(offending);
    }

    [Theory]
    [InlineData("Get-DmarcRecord")]
    [InlineData("New-DmarcRecord")]
    [InlineData("Test-SpfAlignment")]
    [InlineData("Test-DkimAlignment")]
    public void Help_covers_every_parameter(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var common = new System.Collections.Generic.HashSet<string>(System.Management.Automation.Cmdlet.CommonParameters.Concat(System.Management.Automation.Cmdlet.OptionalCommonParameters));
        var names = ps.Run("(Get-Command $args[0]).Parameters.Keys", cmdlet).ThrowOnError().Output.Select(o => o.ToString()).Where(n => !common.Contains(n)).ToList();
        var help = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "cmdlets", cmdlet + ".md"));
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Contains("### -" + n + "\n", help.Replace("\r\n", "\n")));
        Assert.Contains("## OUTPUTS", help);
    }

    [Fact]
    public void Output_types_are_declared()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'Get-DmarcRecord', 'New-DmarcRecord', 'Test-SpfAlignment', 'Test-DkimAlignment' | ForEach-Object { (Get-Command $_).OutputType[0].Name }").ThrowOnError();
        Assert.Equal(new[] { "MailAuth.Dmarc.DmarcRecordResult", "MailAuth.Publishing.DnsRecord", "MailAuth.Dmarc.AlignmentResult", "MailAuth.Dmarc.AlignmentResult" }, r.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Pester_file_parses()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "Pester", "Dmarc.Tests.ps1");
        System.Management.Automation.Language.Parser.ParseFile(path, out _, out var errors);
        Assert.Empty(errors);
    }
}
