using System;
using System.IO;
using System.Linq;
using MailAuth.DmarcReports;
using Xunit;

namespace MailAuth.Tests.DmarcReports;

/// <summary>
/// Hostile files (issue 13 items 1 and 12): each one is an error result for that file or entry, never an
/// exception, and memory stays bounded whatever one element or one report holds.
/// </summary>
public sealed class HostileReportImportTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("mailauth-hostile-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Message_whose_report_part_has_no_body_is_an_error_for_that_file(bool multipart, bool expand)
    {
        var path = multipart ? HostileReportFiles.WriteMultipartWithClosedReportPart(_scratch) : HostileReportFiles.WriteMessageWithEmptyReportPart(_scratch);
        var result = Assert.Single(new DmarcReportImporter().ReadFile(path, expand).ToList());
        Assert.Equal(DmarcReportException.NoReportAttachmentErrorId, result.Error.ErrorId);
        Assert.Contains("r.xml", result.Error.Message);
        Assert.Contains("empty", result.Error.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Zip_entry_that_cannot_be_opened_is_an_error_and_the_next_entry_imports(bool corruptLocalHeader, bool expand)
    {
        var path = HostileReportFiles.WriteZipWithUnopenableEntry(_scratch, corruptLocalHeader);
        var results = new DmarcReportImporter().ReadFile(path, expand).ToList();
        var error = results[0].Error;
        Assert.NotNull(error);
        Assert.Equal(DmarcReportException.UnreadableErrorId, error.ErrorId);
        Assert.EndsWith("!bad.xml", error.Source);
        var good = results.Skip(1).ToList();
        Assert.All(good, r => Assert.Null(r.Error));
        if (expand)
            Assert.Equal(2, good.Count(r => r.Row != null && r.Row.Source.EndsWith("!good.xml", StringComparison.Ordinal)));
        else
            Assert.Equal("Mail Receiver Example", Assert.Single(good).Report.OrgName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Huge_text_element_within_the_decompression_limits_is_refused_in_bounded_memory(bool expand)
    {
        var path = HostileReportFiles.WriteGzipWithHugeOrgName(_scratch, megabytes: 32);
        Assert.True(new FileInfo(path).Length > 32L * 1024 * 1024 / 200, "the file is within the compression-ratio limit");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = Assert.Single(new DmarcReportImporter().ReadFile(path, expand).ToList());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(DmarcReportException.TooLargeErrorId, result.Error.ErrorId);
        Assert.Contains("metadata", result.Error.Message);
        Assert.True(allocated < 32L * 1024 * 1024, $"{allocated:N0} bytes were allocated for a 32 MiB element");
    }

    [Fact]
    public void Record_larger_than_the_record_limit_is_refused_after_the_rows_before_it()
    {
        var xml = File.ReadAllText(ReportSamples.PathOf(ReportSamples.Rfc9990));
        int second = xml.IndexOf("<record>", xml.IndexOf("<record>", StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        var hostile = xml.Insert(second + "<record>".Length, "<extension>" + new string('x', 200_000) + "</extension>");
        var path = Path.Combine(_scratch, "big-record.xml");
        File.WriteAllText(path, hostile);
        var options = new DmarcReportReaderOptions { MaxRecordBytes = 64 * 1024 };

        var streamed = new DmarcReportImporter(options).ReadFile(path, expand: true).ToList();
        Assert.Equal(2, streamed.Count);
        Assert.NotNull(streamed[0].Row);
        Assert.Equal(DmarcReportException.TooLargeErrorId, streamed[1].Error.ErrorId);
        Assert.Contains("record 2", streamed[1].Error.Message);
        Assert.Equal(1, streamed[1].Error.RecordsRead);

        var whole = Assert.Single(new DmarcReportImporter(options).ReadFile(path, expand: false));
        Assert.Equal(DmarcReportException.TooLargeErrorId, whole.Error.ErrorId);

        Assert.Single(new DmarcReportImporter().ReadFile(path, expand: false), r => r.Report != null);
    }

    [Fact]
    public void Report_read_whole_is_bounded_and_the_same_report_streams_in_full()
    {
        // A legitimate report larger than the whole-report limit: refused before anything of it is
        // written without expand; streamed to the last record with expand, which no size limit stops.
        var path = HostileReportFiles.WriteGzipReport(_scratch, records: 20_000);
        var options = new DmarcReportReaderOptions { MaxReportBytes = 1024 * 1024 };

        var whole = Assert.Single(new DmarcReportImporter(options).ReadFile(path, expand: false));
        Assert.Equal(DmarcReportException.TooLargeErrorId, whole.Error.ErrorId);
        Assert.Equal(0, whole.Error.RecordsRead);
        Assert.Contains("expand", whole.Error.Message);

        var rows = new DmarcReportImporter(options).ReadFile(path, expand: true).ToList();
        Assert.All(rows, r => Assert.Null(r.Error));
        Assert.Equal(20_000, rows.Count);
        Assert.Equal("10.0.78.31", rows[^1].Row.SourceIP);
    }

    [Fact]
    public void Plain_xml_file_larger_than_the_whole_report_limit_is_refused_before_it_is_read()
    {
        var options = new DmarcReportReaderOptions { MaxReportBytes = 1000 };
        var result = Assert.Single(new DmarcReportImporter(options).ReadFile(ReportSamples.PathOf(ReportSamples.Google), expand: false));
        Assert.Equal(DmarcReportException.TooLargeErrorId, result.Error.ErrorId);
        Assert.Equal(4, new DmarcReportImporter(options).ReadFile(ReportSamples.PathOf(ReportSamples.Google), expand: true).Count(r => r.Row != null));
    }
}
