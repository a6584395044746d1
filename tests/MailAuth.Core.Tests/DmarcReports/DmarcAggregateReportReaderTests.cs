using System;
using System.IO;
using System.Linq;
using System.Text;
using MailAuth.DmarcReports;
using Xunit;

namespace MailAuth.Tests.DmarcReports;

public sealed class DmarcAggregateReportReaderTests
{
    [Fact]
    public void Rfc7489_report_reads_metadata_policy_and_records()
    {
        using var s = ReportSamples.Open(ReportSamples.Google);
        var report = DmarcAggregateReportReader.Read(s, "google");
        Assert.Equal(ReportSchema.Rfc7489, report.Schema);
        Assert.Equal("google.com", report.OrgName);
        Assert.Equal("noreply-dmarc-support@google.com", report.Email);
        Assert.Equal("4851795216853416227", report.ReportId);
        Assert.Equal(new DateTime(2023, 11, 15, 0, 0, 0, DateTimeKind.Utc), report.Begin);
        Assert.Equal(DateTimeKind.Utc, report.End.Kind);
        Assert.Equal(new DateTime(2023, 11, 15, 23, 59, 59, DateTimeKind.Utc), report.End);
        Assert.Equal("example.com", report.PolicyDomain);
        Assert.Equal(ReportDisposition.None, report.PolicyPublished.P);
        Assert.Equal(ReportDisposition.None, report.PolicyPublished.Np);
        Assert.Equal(25, report.PolicyPublished.Pct);
        Assert.Equal("r", report.PolicyPublished.Adkim);
        Assert.Equal(4, report.Records.Count);
        Assert.Equal(216, report.MessageCount);

        var ses = report.Records[0];
        Assert.Equal("203.0.113.10", ses.SourceIP);
        Assert.Equal(120, ses.Count);
        Assert.Equal(ReportDmarcResult.Pass, ses.DkimPolicyResult);
        Assert.Equal(ReportDmarcResult.Fail, ses.SpfPolicyResult);
        Assert.Equal(ReportDmarcResult.Pass, ses.DmarcResult);
        Assert.Equal(new[] { "example.com", "amazonses.com" }, ses.DkimResults.Select(d => d.Domain));
        Assert.Equal("ug7nbtf4gccmlpwj322ax3p6ow6yfsug", ses.DkimResults[0].Selector);
        Assert.Equal(ReportSpfResult.Pass, ses.SpfResults.Single().Result);
        Assert.Null(ses.SpfResults.Single().Scope);
        Assert.Equal(ReportDmarcResult.Fail, report.Records[3].DmarcResult);
        Assert.Equal(ReportSpfResult.SoftFail, report.Records[3].SpfResults[0].Result);
    }

    [Fact]
    public void Draft_report_without_version_is_read_as_draft()
    {
        using var s = ReportSamples.Open(ReportSamples.Yahoo);
        var report = DmarcAggregateReportReader.Read(s, "yahoo");
        Assert.Equal(ReportSchema.Draft, report.Schema);
        Assert.Equal("Yahoo", report.OrgName);
        Assert.Null(report.PolicyPublished.Sp);
        var forwarded = report.Records[1];
        Assert.Equal("2001:db8:4:1::25", forwarded.SourceIP);
        var reason = Assert.Single(forwarded.Reasons);
        Assert.Equal("forwarded", reason.Type);
        Assert.Equal("looks forwarded, downgraded to none", reason.Comment);
    }

    [Fact]
    public void Rfc9990_report_reads_namespace_generator_np_psd_testing_and_discovery_method()
    {
        using var s = ReportSamples.Open(ReportSamples.Rfc9990);
        var report = DmarcAggregateReportReader.Read(s, "rfc9990");
        Assert.Equal(ReportSchema.Rfc9990, report.Schema);
        Assert.Equal("ExampleMTA dmarc-reporter 3.2", report.Generator);
        Assert.Equal("Ignored an rua URI of another domain without authorization", Assert.Single(report.Errors));
        var p = report.PolicyPublished;
        Assert.Equal("treewalk", p.DiscoveryMethod);
        Assert.Equal(ReportDisposition.Reject, p.P);
        Assert.Equal(ReportDisposition.Quarantine, p.Sp);
        Assert.Equal(ReportDisposition.Reject, p.Np);
        Assert.Equal("n", p.Psd);
        Assert.True(p.Testing);
        Assert.Equal("s", p.Adkim);
        Assert.Null(p.Pct);
        Assert.Equal(2, report.Records.Count);
        Assert.Equal(ReportDisposition.Pass, report.Records[0].Disposition);
        Assert.Equal("receiver.example", report.Records[0].EnvelopeTo);
        Assert.Equal("2048-bit key", report.Records[0].DkimResults[0].HumanResult);
        Assert.Equal("mfrom", report.Records[1].SpfResults[0].Scope);
        Assert.Equal("local_policy", report.Records[1].Reasons[0].Type);
    }

    [Fact]
    public void Enum_values_are_case_insensitive()
    {
        using var s = ReportSamples.Open(ReportSamples.Microsoft);
        var report = DmarcAggregateReportReader.Read(s, "ms");
        var r = report.Records[0];
        Assert.Equal(ReportDmarcResult.Pass, r.DkimPolicyResult);
        Assert.Equal(ReportDmarcResult.Pass, r.SpfPolicyResult);
        Assert.Equal(ReportDkimResult.Pass, r.DkimResults[0].Result);
        Assert.Equal(ReportSpfResult.Pass, r.SpfResults[0].Result);
        Assert.Equal(ReportDkimResult.None, report.Records[1].DkimResults[0].Result);
        Assert.Equal(ReportDisposition.Quarantine, report.Records[1].Disposition);
    }

    [Theory]
    [InlineData("unknown", ReportSpfResult.TempError)]
    [InlineData("error", ReportSpfResult.PermError)]
    [InlineData("SoftFail", ReportSpfResult.SoftFail)]
    [InlineData("bogus", ReportSpfResult.Unknown)]
    public void Spf_result_aliases_are_read(string text, ReportSpfResult expected)
    {
        var xml = Minimal($"<auth_results><spf><domain>example.com</domain><result>{text}</result></spf></auth_results>");
        var report = DmarcAggregateReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "inline");
        Assert.Equal(expected, report.Records[0].SpfResults[0].Result);
    }

    [Fact]
    public void Unknown_elements_are_ignored_wherever_they_are()
    {
        var xml = Minimal("<identifiers><header_from>example.com</header_from><x-note><deep>1</deep></x-note></identifiers><vendor_data a=\"1\"><b/></vendor_data>",
            metadataExtra: "<x-custom>1</x-custom>", rowExtra: "<x-row>2</x-row>");
        var report = DmarcAggregateReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "inline");
        Assert.Equal("example.com", report.Records[0].HeaderFrom);
        Assert.Equal(3, report.Records[0].Count);
    }

    [Fact]
    public void Rows_carry_the_report_metadata_and_flat_auth_results()
    {
        using var s = ReportSamples.Open(ReportSamples.Google);
        var rows = DmarcAggregateReportReader.ReadRows(s, "google").ToList();
        Assert.Equal(4, rows.Count);
        var row = rows[0];
        Assert.Equal("google.com", row.OrgName);
        Assert.Equal("4851795216853416227", row.ReportId);
        Assert.Equal("example.com", row.PolicyDomain);
        Assert.Equal(ReportDisposition.None, row.PublishedPolicy);
        Assert.Equal("example.com; amazonses.com", row.DkimDomain);
        Assert.Equal("Pass; Pass", row.DkimResult);
        Assert.Equal("ap-northeast-1.amazonses.com", row.SpfDomain);
        Assert.Equal("Pass", row.SpfResult);
        Assert.Null(rows[3].DkimDomain);
        Assert.All(rows, r => Assert.Equal(new DateTime(2023, 11, 15, 0, 0, 0, DateTimeKind.Utc), r.Begin));
    }

    [Fact]
    public void Rows_are_streamed_before_the_end_of_the_document()
    {
        // The stream fails after the first record: the row read before must already have been yielded.
        var text = File.ReadAllText(ReportSamples.PathOf(ReportSamples.Google));
        int cut = text.IndexOf("<source_ip>203.0.113.20", StringComparison.Ordinal);
        var stream = new FailingStream(Encoding.UTF8.GetBytes(text), cut);
        using var rows = DmarcAggregateReportReader.ReadRows(stream, "stream").GetEnumerator();
        Assert.True(rows.MoveNext());
        Assert.Equal("203.0.113.10", rows.Current.SourceIP);
        Assert.Throws<IOException>(() => rows.MoveNext());
    }

    [Fact]
    public void Truncated_report_throws_after_the_rows_it_could_read()
    {
        using var s = ReportSamples.Open("truncated-after-two-records.xml");
        var rows = new System.Collections.Generic.List<DmarcReportRow>();
        var ex = Assert.Throws<DmarcReportException>(() =>
        {
            foreach (var r in DmarcAggregateReportReader.ReadRows(s, "truncated")) rows.Add(r);
        });
        Assert.Equal(2, rows.Count);
        Assert.Equal(DmarcReportException.NotXmlErrorId, ex.ErrorId);
        Assert.Equal(2, ex.RecordsRead);
    }

    [Theory]
    [InlineData("xxe.xml", DmarcReportException.DtdProhibitedErrorId)]
    [InlineData("billion-laughs.xml", DmarcReportException.DtdProhibitedErrorId)]
    [InlineData("invalid-utf8.xml", DmarcReportException.InvalidEncodingErrorId)]
    [InlineData("not-a-report.xml", DmarcReportException.NotAggregateReportErrorId)]
    [InlineData("missing-metadata.xml", DmarcReportException.MalformedErrorId)]
    public void Hostile_or_broken_file_is_refused_with_a_stable_error_id(string file, string errorId)
    {
        using var s = ReportSamples.Open(file);
        var ex = Assert.Throws<DmarcReportException>(() => DmarcAggregateReportReader.Read(s, file));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(file, ex.Source);
        Assert.Equal(0, ex.RecordsRead);
    }

    [Fact]
    public void Xxe_never_reads_the_external_entity()
    {
        using var s = ReportSamples.Open("xxe.xml");
        var ex = Assert.Throws<DmarcReportException>(() => DmarcAggregateReportReader.ReadRows(s, "xxe").ToList());
        Assert.DoesNotContain("root:", ex.ToString());
    }

    [Theory]
    [InlineData("<begin>yesterday</begin><end>1700092799</end>")]
    [InlineData("<end>1700092799</end>")]
    public void Bad_date_range_is_malformed(string dateRange)
    {
        var xml = Minimal("<identifiers><header_from>example.com</header_from></identifiers>").Replace("<begin>1700006400</begin><end>1700092799</end>", dateRange);
        var ex = Assert.Throws<DmarcReportException>(() => DmarcAggregateReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "inline"));
        Assert.Equal(DmarcReportException.MalformedErrorId, ex.ErrorId);
    }

    [Fact]
    public void Bad_count_is_malformed()
    {
        var xml = Minimal("").Replace("<count>3</count>", "<count>many</count>");
        var ex = Assert.Throws<DmarcReportException>(() => DmarcAggregateReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "inline"));
        Assert.Equal(DmarcReportException.MalformedErrorId, ex.ErrorId);
        Assert.Contains("many", ex.Message);
    }

    [Fact]
    public void Report_without_records_has_none()
    {
        var xml = "<feedback><report_metadata><org_name>x</org_name><report_id>1</report_id><date_range><begin>0</begin><end>86400</end></date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published></feedback>";
        var report = DmarcAggregateReportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "inline");
        Assert.Empty(report.Records);
        Assert.Equal(0, report.MessageCount);
    }

    private static string Minimal(string recordBody, string metadataExtra = "", string rowExtra = "") =>
        "<?xml version=\"1.0\"?><feedback><report_metadata><org_name>Example</org_name><email>a@b.example</email>" + metadataExtra +
        "<report_id>r1</report_id><date_range><begin>1700006400</begin><end>1700092799</end></date_range></report_metadata>" +
        "<policy_published><domain>example.com</domain><p>none</p></policy_published>" +
        "<record><row><source_ip>192.0.2.1</source_ip><count>3</count>" + rowExtra +
        "<policy_evaluated><disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>" +
        recordBody + "</record></feedback>";

    /// <summary>Serves bytes up to a point, then fails like a broken disk or connection.</summary>
    private sealed class FailingStream : MemoryStream
    {
        private readonly int _failAt;
        public FailingStream(byte[] data, int failAt) : base(data) => _failAt = failAt;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= _failAt) throw new IOException("the disk went away");
            return base.Read(buffer, offset, Math.Min(count, Math.Max(1, _failAt - (int)Position)));
        }
    }
}
