using System.IO;
using MailAuth.DmarcReports;
using Xunit;

namespace MailAuth.Tests.ReportIntake;

public sealed class DmarcReportIdentityTests
{
    [Theory]
    [InlineData("../../etc", "passwd")]
    [InlineData("..", "..")]
    [InlineData("/etc/cron.d", "x")]
    [InlineData("C:\\Windows\\System32", "evil:stream")]
    [InlineData(".hidden", "id\0with-nul")]
    [InlineData("", "")]
    [InlineData("con", "aux*?<>|\"")]
    public void A_hostile_reporter_or_report_id_gives_a_plain_file_name_inside_the_folder(string reporter, string reportId)
    {
        var stem = new DmarcReportIdentity(reporter, reportId).FileStem;

        Assert.Equal(stem, Path.GetFileName(stem));
        Assert.DoesNotContain("/", stem);
        Assert.DoesNotContain("\\", stem);
        Assert.DoesNotContain(":", stem);
        Assert.False(stem.StartsWith(".", System.StringComparison.Ordinal));
        Assert.NotEqual("..", stem);
        var folder = Path.GetFullPath("archive-root");
        Assert.Equal(folder, Path.GetDirectoryName(Path.GetFullPath(Path.Combine(folder, stem + ".eml"))));
    }

    [Fact]
    public void Identities_that_read_alike_after_cleaning_keep_apart_by_their_hash()
    {
        var a = new DmarcReportIdentity("a/b", "1");
        var b = new DmarcReportIdentity("a:b", "1");

        Assert.NotEqual(a, b);
        Assert.NotEqual(a.FileStem, b.FileStem);
        Assert.StartsWith("a_b!1!", a.FileStem);
    }

    [Fact]
    public void Reporter_and_report_id_compare_without_case_or_surrounding_space()
    {
        Assert.Equal(new DmarcReportIdentity("Google.com", "ABC"), new DmarcReportIdentity(" google.com ", "abc"));
        Assert.Equal(new DmarcReportIdentity("Google.com", "ABC").FileStem.Split('!')[2], new DmarcReportIdentity("google.com", "abc").FileStem.Split('!')[2]);
    }

    [Fact]
    public void Each_part_of_the_name_is_bounded()
    {
        var stem = new DmarcReportIdentity(new string('x', 10_000), new string('y', 10_000)).FileStem;
        Assert.True(stem.Length <= 64 + 1 + 64 + 1 + 16, stem.Length.ToString());
    }
}
