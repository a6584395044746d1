using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

[Collection(KnotDnsCollection.Name)]
public sealed class GetDmarcReportSummaryTests
{
    private static readonly string Google = RepositoryPaths.DataFile("reports", "google.com!example.com!1700006400!1700092799.xml");
    private static readonly string Yahoo = RepositoryPaths.DataFile("reports", "yahoo-draft-example.com-1700006400.xml");
    private readonly KnotDnsServer _dns;

    public GetDmarcReportSummaryTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    [Fact]
    public void Failing_sources_come_first_with_a_diagnosis()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport -LiteralPath $args[0] | Get-DmarcReportSummary", Google).ThrowOnError();
        Assert.Equal(4, r.Output.Count);
        Assert.Equal("203.0.113.30", r.Property(0, "SourceIP"));
        Assert.Equal(57L, r.Property(0, "SpfPassNotAligned"));
        Assert.Contains("custom MAIL FROM", r.Property(0, "Diagnosis").ToString());
        Assert.Equal(0L, r.Property(3, "DmarcFail"));
    }

    [Fact]
    public void Rows_from_expand_summarize_like_reports()
    {
        using var ps = new PowerShellSession();
        var fromRows = ps.Run("Import-DmarcReport -LiteralPath $args[0], $args[1] -Expand | Get-DmarcReportSummary | ForEach-Object { '{0}:{1}:{2}' -f $_.SourceIP, $_.MessageCount, $_.DmarcFail }", Google, Yahoo).ThrowOnError();
        var fromReports = ps.Run("Import-DmarcReport -LiteralPath $args[0], $args[1] | Get-DmarcReportSummary | ForEach-Object { '{0}:{1}:{2}' -f $_.SourceIP, $_.MessageCount, $_.DmarcFail }", Google, Yahoo).ThrowOnError();
        Assert.Equal(fromReports.Output.Select(o => o.ToString()), fromRows.Output.Select(o => o.ToString()));
        Assert.Contains("203.0.113.10:138:0", fromRows.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Resolve_host_names_sources_against_a_real_server()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport -LiteralPath $args[0], $args[1] | Get-DmarcReportSummary -ResolveHost -Server $args[2] -DnsRetryCount 0 | ForEach-Object { '{0}|{1}|{2}|{3}' -f $_.SourceIP, $_.HostStatus, $_.HostName, $_.HostOrganizationalDomain }",
            Google, Yahoo, _dns.Address).ThrowOnError();
        var lines = r.Output.Select(o => o.ToString()).ToList();
        Assert.Contains("203.0.113.10|Found|e226-10.smtp-out.ap-northeast-1.amazonses.com|amazonses.com", lines);
        Assert.Contains("2001:db8:4:1::25|NotFound||", lines);
        Assert.Contains(lines, l => l.StartsWith("198.51.100.7|Error||", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Other_input_is_a_non_terminating_error()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'hello', (Import-DmarcReport -LiteralPath $args[0]) | Get-DmarcReportSummary", Google);
        Assert.Equal(4, r.Output.Count);
        Assert.StartsWith("DmarcReportSummaryInvalidInput,", Assert.Single(r.ErrorIds));
    }

    [Fact]
    public void Default_view_shows_the_alignment_columns()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format("Import-DmarcReport -LiteralPath $args[0] | Get-DmarcReportSummary -ResolveHost -Server $args[1] -DnsRetryCount 0", Google, _dns.Address);
        Assert.Contains("DkimOnly", text);
        Assert.Contains("lookup failed", text);
        Assert.DoesNotContain("Diagnosis", text); // prose goes to the list view
    }
}
