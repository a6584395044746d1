using System;
using System.IO;
using System.Linq;
using System.Text;
using MailAuth.DmarcReports;
using MailAuth.ReportIntake;
using MailAuth.Tests.Infrastructure;
using MimeKit;
using Xunit;

namespace MailAuth.Tests.ReportIntake;

/// <summary>The intake over report mails built from tests/data/reports: exactly once, kept atomically, only then removable.</summary>
public sealed class DmarcReportIntakeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mailauth-intake-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static byte[] Sample(string name) => File.ReadAllBytes(RepositoryPaths.DataFile("reports", name));

    /// <summary>A report mail as a receiver sends it, with the given files of tests/data/reports attached.</summary>
    internal static byte[] ReportMail(params string[] attachments)
    {
        var builder = new BodyBuilder { TextBody = "This is an aggregate report." };
        foreach (var name in attachments) builder.Attachments.Add(name, Sample(name));
        var message = new MimeMessage { Subject = "Report domain: example.com", Body = builder.ToMessageBody() };
        message.From.Add(new MailboxAddress(null, "dmarc-reports@receiver.example"));
        message.To.Add(new MailboxAddress(null, "dmarc@example.com"));
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public void A_report_that_arrives_twice_in_one_run_is_taken_in_once()
    {
        var intake = new DmarcReportIntake(null);

        var first = intake.Accept(Sample("google-report.eml"), "m1");
        var again = intake.Accept(ReportMail("google.com!example.com!1700006400!1700092799.xml"), "m2");

        Assert.Single(first.Reports);
        Assert.Empty(again.Reports);
        Assert.Equal(DmarcReportDuplicateReason.SeenInThisRun, Assert.Single(again.Duplicates).Reason);
        Assert.True(again.IsRead);
        Assert.False(again.IsKept);
    }

    [Fact]
    public void SaveTo_keeps_each_new_message_once_and_a_second_run_takes_in_nothing()
    {
        var mails = new[] { Sample("google-report.eml"), Sample("yahoo-report.eml"), Sample("rfc9990-report.eml"), Sample("google-report.eml") };
        var run1 = new DmarcReportIntake(new DmarcReportArchive(_dir));
        var taken = mails.Select((m, i) => run1.Accept(m, "m" + i)).ToList();

        Assert.Equal(3, taken.Sum(r => r.Reports.Count));
        Assert.All(taken, r => Assert.True(r.IsKept));
        var files = Directory.GetFiles(_dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.EndsWith(".eml", f));
        Assert.Contains(files, f => f.StartsWith("google.com!4851795216853416227!", StringComparison.Ordinal));
        Assert.Equal(Sample("google-report.eml"), File.ReadAllBytes(Path.Combine(_dir, files.Single(f => f.StartsWith("google.com!", StringComparison.Ordinal)))));

        var run2 = new DmarcReportIntake(new DmarcReportArchive(_dir));
        var again = mails.Select((m, i) => run2.Accept(m, "m" + i)).ToList();
        Assert.Equal(0, again.Sum(r => r.Reports.Count));
        Assert.All(again, r => Assert.True(r.IsKept));
        Assert.Equal(DmarcReportDuplicateReason.AlreadySaved, again[0].Duplicates.Single().Reason);
        Assert.Equal(3, Directory.GetFiles(_dir).Length);
    }

    [Fact]
    public void The_archive_reads_back_as_the_history_through_the_one_importer()
    {
        var intake = new DmarcReportIntake(new DmarcReportArchive(_dir));
        intake.Accept(Sample("google-report.eml"), "m1");
        intake.Accept(Sample("yahoo-report.eml"), "m2");

        var importer = new DmarcReportImporter();
        var reports = Directory.GetFiles(_dir).SelectMany(f => importer.ReadFile(f, expand: false)).Select(r => r.Report).ToList();

        Assert.Equal(new[] { "4851795216853416227", "1700092800.658437" }.OrderBy(x => x), reports.Select(r => r.ReportId).OrderBy(x => x));
    }

    [Fact]
    public void A_message_without_a_report_is_skipped_and_never_removable()
    {
        var intake = new DmarcReportIntake(new DmarcReportArchive(_dir));
        var result = intake.Accept(Sample("no-attachment.eml"), "m1");

        Assert.False(result.IsReport);
        Assert.Empty(result.Errors);
        Assert.False(result.IsKept);
        Assert.False(result.IsRead);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_broken_report_is_an_error_with_its_stable_id_and_is_neither_kept_nor_removable()
    {
        var intake = new DmarcReportIntake(new DmarcReportArchive(_dir));
        var result = intake.Accept(ReportMail("truncated-after-two-records.xml"), "m1");

        Assert.True(result.IsReport);
        Assert.Equal(DmarcReportException.NotXmlErrorId, Assert.Single(result.Errors).ErrorId);
        Assert.False(result.IsKept);
        Assert.False(result.IsRead);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_message_with_a_good_and_a_broken_report_keeps_the_good_one_but_stays_at_the_source()
    {
        var intake = new DmarcReportIntake(new DmarcReportArchive(_dir));
        var result = intake.Accept(ReportMail("yahoo-draft-example.com-1700006400.xml", "not-a-report.xml"), "m1");

        Assert.Single(result.Reports);
        Assert.Single(result.Errors);
        Assert.NotNull(result.SavedPath);
        Assert.False(result.IsKept);
    }

    [Fact]
    public void A_message_with_two_reports_is_kept_once_with_a_marker_for_the_second()
    {
        var archive = new DmarcReportArchive(_dir);
        var intake = new DmarcReportIntake(archive);
        var result = intake.Accept(ReportMail("yahoo-draft-example.com-1700006400.xml", "microsoft-rfc7489-example.com.xml"), "m1");

        Assert.Equal(2, result.Reports.Count);
        Assert.Single(Directory.GetFiles(_dir, "*.eml"));
        var marker = Assert.Single(Directory.GetFiles(_dir, "*" + DmarcReportArchive.MarkerExtension));
        Assert.Equal(Path.GetFileName(result.SavedPath), File.ReadAllText(marker).Trim());
        var reopened = new DmarcReportArchive(_dir);
        Assert.Equal(2, reopened.Count);
        Assert.All(result.Reports, r => Assert.True(reopened.Contains(DmarcReportIdentity.Of(r))));
    }

    [Fact]
    public void A_save_that_fails_takes_nothing_in_and_leaves_no_partial_file()
    {
        var archive = new DmarcReportArchive(_dir);
        var intake = new DmarcReportIntake(archive);
        // A folder where the report's file should go makes the rename fail after the temporary file was written.
        var identity = new DmarcReportIdentity("google.com", "4851795216853416227");
        Directory.CreateDirectory(Path.Combine(_dir, "blocker"));
        File.WriteAllText(Path.Combine(_dir, "blocker", "keep.txt"), "x");
        var blocked = Path.Combine(_dir, identity.FileStem + DmarcReportIntake.MessageExtension);
        Directory.CreateDirectory(blocked);

        var result = intake.Accept(Sample("google-report.eml"), "m1");

        Assert.NotNull(result.SaveError);
        Assert.Equal(ReportSourceException.SaveFailedErrorId, result.SaveError.ErrorId);
        Assert.Empty(result.Reports);
        Assert.False(result.IsRead);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(_dir, ".*", SearchOption.TopDirectoryOnly));
    }
}
