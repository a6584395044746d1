using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.DmarcReports;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.DmarcReports;

[Collection(KnotDnsCollection.Name)]
public sealed class DmarcReportSummarizerTests
{
    private readonly KnotDnsServer _dns;

    public DmarcReportSummarizerTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private static DmarcReportSummarizer WithSamples(params string[] files)
    {
        var summarizer = new DmarcReportSummarizer();
        foreach (var f in files)
        {
            using var s = ReportSamples.Open(f);
            summarizer.Add(DmarcAggregateReportReader.Read(s, f));
        }
        return summarizer;
    }

    [Fact]
    public async Task Sources_failing_alignment_come_first()
    {
        var summary = await WithSamples(ReportSamples.Google).SummarizeAsync();
        Assert.Equal(new[] { "203.0.113.30", "198.51.100.7", "203.0.113.10", "203.0.113.20" }, summary.Select(s => s.SourceIP));
        Assert.Equal(57, summary[0].DmarcFail);
        Assert.Equal(0, summary[3].DmarcFail);
    }

    [Fact]
    public async Task Esp_without_custom_mail_from_is_spf_pass_not_aligned()
    {
        var ses = (await WithSamples(ReportSamples.Google).SummarizeAsync()).Single(s => s.SourceIP == "203.0.113.30");
        Assert.Equal(57, ses.NeitherAligned);
        Assert.Equal(57, ses.SpfPassNotAligned);
        Assert.Equal(57, ses.DkimPassNotAligned);
        Assert.Equal("ap-northeast-1.amazonses.com", ses.EnvelopeFrom.Single());
        Assert.Contains("custom MAIL FROM", ses.Diagnosis);
        Assert.Contains("RFC 9989 §4.4.2", ses.Diagnosis);
    }

    [Fact]
    public async Task Messages_are_counted_by_aligned_identifier()
    {
        var summary = await WithSamples(ReportSamples.Google, ReportSamples.Yahoo, ReportSamples.Microsoft).SummarizeAsync();
        var easyDkim = summary.Single(s => s.SourceIP == "203.0.113.10");
        Assert.Equal(138, easyDkim.MessageCount);
        Assert.Equal(138, easyDkim.DkimAlignedOnly);
        Assert.Equal(138, easyDkim.DmarcPass);
        Assert.Equal(new[] { "google.com", "Yahoo" }, easyDkim.Reporters);
        Assert.Equal(2, easyDkim.RecordCount);
        var own = summary.Single(s => s.SourceIP == "203.0.113.20");
        Assert.Equal(44, own.BothAligned);
        var spoof = summary.Single(s => s.SourceIP == "198.51.100.7");
        Assert.Equal(7, spoof.NeitherAligned);
        Assert.Equal(0, spoof.SpfPassNotAligned);
        Assert.Contains("spoofing", spoof.Diagnosis);
    }

    [Fact]
    public async Task Rows_and_reports_sum_alike()
    {
        var fromReports = await WithSamples(ReportSamples.Google).SummarizeAsync();
        var summarizer = new DmarcReportSummarizer();
        using (var s = ReportSamples.Open(ReportSamples.Google))
            foreach (var row in DmarcAggregateReportReader.ReadRows(s, "g")) summarizer.Add(row);
        var fromRows = await summarizer.SummarizeAsync();
        Assert.Equal(fromReports.Select(x => (x.SourceIP, x.MessageCount, x.DmarcFail)), fromRows.Select(x => (x.SourceIP, x.MessageCount, x.DmarcFail)));
    }

    [Fact]
    public async Task Resolve_host_finds_ptr_and_its_organizational_domain_on_a_real_server()
    {
        var summary = await WithSamples(ReportSamples.Google, ReportSamples.Yahoo).SummarizeAsync(_dns.CreateResolver(retries: 0));
        var ses = summary.Single(s => s.SourceIP == "203.0.113.10");
        Assert.Equal(RecordStatus.Found, ses.HostStatus);
        Assert.Equal("e226-10.smtp-out.ap-northeast-1.amazonses.com", ses.HostName);
        Assert.Equal("amazonses.com", ses.HostOrganizationalDomain);
        var own = summary.Single(s => s.SourceIP == "203.0.113.20");
        Assert.Equal("example.co.uk", own.HostOrganizationalDomain);
    }

    [Fact]
    public async Task Missing_ptr_is_not_found_and_failed_lookup_is_error()
    {
        var summary = await WithSamples(ReportSamples.Google, ReportSamples.Yahoo).SummarizeAsync(_dns.CreateResolver(retries: 0));
        var v6 = summary.Single(s => s.SourceIP == "2001:db8:4:1::25");
        Assert.Equal(RecordStatus.NotFound, v6.HostStatus);
        Assert.Null(v6.HostName);
        var broken = summary.Single(s => s.SourceIP == "198.51.100.7");
        Assert.Equal(RecordStatus.Error, broken.HostStatus);
        Assert.NotEqual(DnsErrorKind.None, broken.HostErrorKind);
    }

    [Fact]
    public async Task Timeout_is_an_error_not_a_missing_name()
    {
        using var silent = new SilentDnsServer();
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { silent.Endpoint }, Timeout = System.TimeSpan.FromMilliseconds(300), Retries = 0 });
        var summary = await WithSamples(ReportSamples.Microsoft).SummarizeAsync(resolver);
        Assert.All(summary, s => Assert.Equal(RecordStatus.Error, s.HostStatus));
        Assert.All(summary, s => Assert.Equal(DnsErrorKind.Timeout, s.HostErrorKind));
    }

    [Theory]
    [InlineData("Sender requirement failed: 550-5.7.30", "550-5.7.30", "Dkim")]
    [InlineData("Sender requirement failed: 421-4.7.30", "421-4.7.30", "Dkim")]
    [InlineData("Sender requirement failed: 550-5.7.27", "550-5.7.27", "Spf")]
    [InlineData("Sender requirement failed: 421-4.7.27", "421-4.7.27", "Spf")]
    [InlineData("Sender requirement failed: 421-4.7.32", "421-4.7.32", "Alignment")]
    [InlineData("Sender requirement failed: 421-4.7.29", "421-4.7.29", "Tls")]
    [InlineData("Sender requirement failed: 550-5.7.25", "550-5.7.25", "ReverseDns")]
    [InlineData("Sender requirement failed: 550-5.7.1", "550-5.7.1", "Other")]
    [InlineData("550 5.7.26 unauthenticated", "550-5.7.26", "Other")]
    public void Google_sender_requirement_verdicts_are_decoded(string comment, string code, string requirement)
    {
        var verdict = SenderRequirementVerdict.Read(comment);
        Assert.Equal(code, verdict.Code);
        Assert.Equal(requirement, verdict.Requirement);
        Assert.False(string.IsNullOrEmpty(verdict.Meaning));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("forwarded by a mailing list")]
    [InlineData("arc=pass")]
    public void A_comment_without_a_status_has_no_verdict(string comment) => Assert.Null(SenderRequirementVerdict.Read(comment));

    [Fact]
    public void Rows_carry_the_sender_requirement_verdict_of_their_reason()
    {
        using var s = ReportSamples.Open(ReportSamples.GoogleSenderRequirements);
        var rows = DmarcAggregateReportReader.ReadRows(s, ReportSamples.GoogleSenderRequirements).ToList();
        Assert.Equal(new[] { "550-5.7.30", "421-4.7.32", null }, rows.Select(r => r.SenderRequirementCode));
        Assert.Equal(new[] { "Dkim", "Alignment", null }, rows.Select(r => r.SenderRequirement));
    }

    [Fact]
    public async Task Sender_requirement_failures_are_counted_per_source()
    {
        var summary = await WithSamples(ReportSamples.GoogleSenderRequirements).SummarizeAsync();
        var esp = summary.Single(x => x.SourceIP == "198.51.100.40");
        Assert.Equal(new[] { "550-5.7.30 Dkim: 12", "421-4.7.32 Alignment: 3" }, esp.SenderRequirementFailures);
        Assert.Equal(15, esp.SenderRequirementFailed);
        Assert.Contains("sender requirement", esp.Diagnosis);
        Assert.Empty(summary.Single(x => x.SourceIP == "203.0.113.10").SenderRequirementFailures);
    }
}
