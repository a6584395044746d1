using System.Linq;
using MailAuth.DmarcReports;
using Xunit;

namespace MailAuth.Tests.DmarcReports;

/// <summary>Each report once per run: whole reports by identity, rows together with the report they come from.</summary>
public sealed class DmarcReportOnceTests
{
    private static DmarcAggregateReport Read(string file) =>
        new DmarcReportImporter().ReadFile(RepositoryPathsFor(file), false, default).Single(r => r.Report != null).Report;

    private static string RepositoryPathsFor(string file) => MailAuth.Tests.Infrastructure.RepositoryPaths.DataFile("reports", file);

    [Fact]
    public void The_same_report_from_two_files_is_admitted_once()
    {
        var once = new DmarcReportOnce();
        Assert.True(once.Admit(Read("google.com!example.com!1700006400!1700092799.xml"), out var first));
        Assert.False(once.Admit(Read("google.com!example.com!1700006400!1700092799.zip"), out var second));
        Assert.Equal(first, second);
        Assert.True(once.Admit(Read("rfc9990-example.com.xml"), out _));
    }

    [Fact]
    public void Rows_are_admitted_or_held_back_with_their_report_and_the_identity_is_named_once_per_report()
    {
        var once = new DmarcReportOnce();
        var importer = new DmarcReportImporter();
        var rows = importer.ReadFile(RepositoryPathsFor("google.com!example.com!1700006400!1700092799.xml"), true, default)
            .Concat(importer.ReadFile(RepositoryPathsFor("google.com!example.com!1700006400!1700092799.zip"), true, default))
            .Select(r => r.Row).ToList();
        var verdicts = rows.Select(row => (Admitted: once.Admit(row, out var identity), Identity: identity)).ToList();
        Assert.Equal(new[] { true, true, true, true, false, false, false, false }, verdicts.Select(v => v.Admitted));
        Assert.Equal(2, verdicts.Count(v => v.Identity != null));
        Assert.Equal("google.com", verdicts[4].Identity.Reporter);
    }
}
