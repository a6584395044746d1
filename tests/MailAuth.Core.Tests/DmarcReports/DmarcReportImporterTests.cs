using System;
using System.IO;
using System.Linq;
using MailAuth.DmarcReports;
using Xunit;

namespace MailAuth.Tests.DmarcReports;

public sealed class DmarcReportImporterTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("mailauth-reports-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData(ReportSamples.Google, "google.com", 4)]
    [InlineData(ReportSamples.GoogleZip, "google.com", 4)]
    [InlineData(ReportSamples.MicrosoftGz, "Enterprise Outlook", 2)]
    [InlineData("google-report.eml", "google.com", 4)]
    [InlineData("yahoo-report.eml", "Yahoo", 2)]
    [InlineData("rfc9990-report.eml", "Mail Receiver Example", 2)]
    public void Each_container_yields_the_report(string file, string orgName, int records)
    {
        var results = new DmarcReportImporter().ReadFile(ReportSamples.PathOf(file), expand: false).ToList();
        var result = Assert.Single(results);
        Assert.Null(result.Error);
        Assert.Equal(orgName, result.Report.OrgName);
        Assert.Equal(records, result.Report.Records.Count);
        Assert.StartsWith(ReportSamples.PathOf(file), result.Report.Source);
    }

    [Fact]
    public void Zip_entries_and_message_attachments_are_named_in_the_source()
    {
        var zip = new DmarcReportImporter().ReadFile(ReportSamples.PathOf(ReportSamples.GoogleZip), expand: true).First();
        Assert.EndsWith(".zip!" + ReportSamples.Google, zip.Row.Source);
        var eml = new DmarcReportImporter().ReadFile(ReportSamples.PathOf("yahoo-report.eml"), expand: true).First();
        Assert.EndsWith("yahoo-report.eml!yahoo.com!example.com!1700006400!1700092799.xml.gz", eml.Row.Source);
    }

    [Fact]
    public void Gzip_recognised_by_content_whatever_its_name()
    {
        var renamed = Path.Combine(_scratch, "report.xml");
        File.Copy(ReportSamples.PathOf(ReportSamples.MicrosoftGz), renamed);
        var result = Assert.Single(new DmarcReportImporter().ReadFile(renamed, expand: false));
        Assert.Equal("Enterprise Outlook", result.Report.OrgName);
    }

    [Fact]
    public void Expand_yields_one_row_per_record()
    {
        var rows = new DmarcReportImporter().ReadFile(ReportSamples.PathOf(ReportSamples.MicrosoftGz), expand: true).Select(r => r.Row).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("contoso.com", rows[0].EnvelopeTo);
        Assert.Equal("bounce.example.com", rows[0].EnvelopeFrom);
        Assert.Equal("mfrom", rows[0].SpfScope);
    }

    [Fact]
    public void Bad_entry_of_a_zip_is_an_error_and_the_good_one_still_imports()
    {
        var results = new DmarcReportImporter().ReadFile(ReportSamples.PathOf("mixed-entries.zip"), expand: false).ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal("Mail Receiver Example", results[0].Report.OrgName);
        Assert.Equal(DmarcReportException.NotAggregateReportErrorId, results[1].Error.ErrorId);
        Assert.EndsWith("mixed-entries.zip!readme.xml", results[1].Error.Source);
    }

    [Fact]
    public void Gzip_bomb_is_refused_early()
    {
        var bomb = ReportSamples.WriteGzipBomb(_scratch, megabytes: 64);
        Assert.True(new FileInfo(bomb).Length < 200_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = Assert.Single(new DmarcReportImporter().ReadFile(bomb, expand: true));
        Assert.Equal(DmarcReportException.DecompressionLimitErrorId, result.Error.ErrorId);
        Assert.Contains("bomb", result.Error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 48L * 1024 * 1024, "the bomb was refused before it was expanded");
    }

    [Fact]
    public void Zip_bomb_is_refused_from_its_declared_size()
    {
        var bomb = ReportSamples.WriteZipBomb(_scratch, megabytes: 64);
        var result = Assert.Single(new DmarcReportImporter().ReadFile(bomb, expand: false));
        Assert.Equal(DmarcReportException.DecompressionLimitErrorId, result.Error.ErrorId);
    }

    [Fact]
    public void Zip_entry_lying_about_its_size_is_stopped_while_it_expands()
    {
        // A limit below the entry's declared size is caught up front; one that the entry only
        // passes while expanding is caught by the guard on the stream.
        var bomb = ReportSamples.WriteZipBomb(_scratch, megabytes: 8);
        var options = new DmarcReportReaderOptions { MaxCompressionRatio = 1_000_000, MaxDecompressedBytes = 4 * 1024 * 1024 };
        var result = Assert.Single(new DmarcReportImporter(options).ReadFile(bomb, expand: false));
        Assert.Equal(DmarcReportException.DecompressionLimitErrorId, result.Error.ErrorId);
    }

    [Fact]
    public void Size_limit_applies_to_gzip_too()
    {
        var options = new DmarcReportReaderOptions { MaxDecompressedBytes = 1000, MaxCompressionRatio = 1_000_000 };
        var result = Assert.Single(new DmarcReportImporter(options).ReadFile(ReportSamples.PathOf(ReportSamples.MicrosoftGz), expand: false));
        Assert.Equal(DmarcReportException.DecompressionLimitErrorId, result.Error.ErrorId);
    }

    [Fact]
    public void Message_without_report_is_a_clear_error()
    {
        var result = Assert.Single(new DmarcReportImporter().ReadFile(ReportSamples.PathOf("no-attachment.eml"), expand: false));
        Assert.Equal(DmarcReportException.NoReportAttachmentErrorId, result.Error.ErrorId);
    }

    [Fact]
    public void Corrupt_gzip_is_unreadable()
    {
        var bytes = File.ReadAllBytes(ReportSamples.PathOf(ReportSamples.MicrosoftGz));
        for (int i = 20; i < bytes.Length - 8; i++) bytes[i] ^= 0x5a;
        var path = Path.Combine(_scratch, "corrupt.xml.gz");
        File.WriteAllBytes(path, bytes);
        var result = Assert.Single(new DmarcReportImporter().ReadFile(path, expand: true));
        Assert.Contains(result.Error.ErrorId, new[] { DmarcReportException.UnreadableErrorId, DmarcReportException.NotXmlErrorId, DmarcReportException.InvalidEncodingErrorId });
    }

    [Fact]
    public void Missing_file_is_unreadable()
    {
        var result = Assert.Single(new DmarcReportImporter().ReadFile(Path.Combine(_scratch, "nope.xml"), expand: false));
        Assert.Equal(DmarcReportException.UnreadableErrorId, result.Error.ErrorId);
    }

    [Fact]
    public void Truncated_file_yields_its_rows_then_the_error()
    {
        var results = new DmarcReportImporter().ReadFile(ReportSamples.PathOf("truncated-after-two-records.xml"), expand: true).ToList();
        Assert.Equal(3, results.Count);
        Assert.NotNull(results[0].Row);
        Assert.NotNull(results[1].Row);
        Assert.Equal(2, results[2].Error.RecordsRead);
    }

    [Fact]
    public void Truncated_file_without_expand_yields_no_report()
    {
        var result = Assert.Single(new DmarcReportImporter().ReadFile(ReportSamples.PathOf("truncated-after-two-records.xml"), expand: false));
        Assert.Null(result.Report);
        Assert.Equal(DmarcReportException.NotXmlErrorId, result.Error.ErrorId);
    }
}
