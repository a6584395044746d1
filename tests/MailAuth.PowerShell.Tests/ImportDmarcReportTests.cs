using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

public sealed class ImportDmarcReportTests : IDisposable
{
    private static readonly string Reports = RepositoryPaths.DataFile("reports");
    private readonly string _scratch = Directory.CreateTempSubdirectory("mailauth-ps-reports-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Sample(string name) => Path.Combine(Reports, name);

    private string CopyToScratch(params string[] names)
    {
        foreach (var n in names) File.Copy(Sample(n), Path.Combine(_scratch, n));
        return _scratch;
    }

    [Fact]
    public void Imports_a_report_object_with_its_metadata()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport -LiteralPath $args[0]", Sample("google.com!example.com!1700006400!1700092799.xml")).ThrowOnError();
        var report = Assert.Single(r.Output);
        Assert.Equal("MailAuth.DmarcReports.DmarcAggregateReport", report.BaseObject.GetType().FullName);
        Assert.Equal("google.com", r.Property(0, "OrgName"));
        Assert.Equal(new DateTime(2023, 11, 15, 0, 0, 0, DateTimeKind.Utc), r.Property(0, "Begin"));
        Assert.Equal(216L, r.Property(0, "MessageCount"));
        Assert.Equal("none", ps.Run("(Import-DmarcReport -LiteralPath $args[0]).PolicyPublished.Np.ToString().ToLower()", Sample("google.com!example.com!1700006400!1700092799.xml")).Output[0].ToString());
    }

    [Fact]
    public void Expand_writes_flat_rows_that_group_by_source()
    {
        // Group-Object is not in the hosted engine's core set: group with a hashtable, as it would.
        using var ps = new PowerShellSession();
        var r = ps.Run("$g = @{}; Import-DmarcReport -Path $args[0] -Expand | ForEach-Object { $g[$_.SourceIP] += $_.Count }; $g.Keys | ForEach-Object { '{0}={1}' -f $_, $g[$_] }",
            Path.Combine(CopyToScratch("google.com!example.com!1700006400!1700092799.xml", "yahoo-draft-example.com-1700006400.xml"), "*.xml")).ThrowOnError();
        var groups = r.Output.Select(o => o.ToString()).ToList();
        Assert.Equal(5, groups.Count);
        Assert.Contains("203.0.113.10=138", groups);
        Assert.Contains("198.51.100.7=4", groups);
    }

    [Fact]
    public void Rows_carry_report_metadata_and_auth_results()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("@(Import-DmarcReport -LiteralPath $args[0] -Expand)[0]", Sample("enterprise.protection.outlook.com!example.com!1700006400!1700092800.xml.gz")).ThrowOnError();
        Assert.Equal("Enterprise Outlook", r.Property(0, "OrgName"));
        Assert.Equal("example.com", r.Property(0, "PolicyDomain"));
        Assert.Equal("203.0.113.20", r.Property(0, "SourceIP"));
        Assert.Equal(9L, r.Property(0, "Count"));
        Assert.Equal("Pass", r.Property(0, "DkimPolicyResult").ToString());
        Assert.Equal("contoso.com", r.Property(0, "EnvelopeTo"));
        Assert.Equal("mail2024", r.Property(0, "DkimSelector"));
        Assert.Equal("mfrom", r.Property(0, "SpfScope"));
    }

    [Theory]
    [InlineData("google.com!example.com!1700006400!1700092799.zip")]
    [InlineData("enterprise.protection.outlook.com!example.com!1700006400!1700092800.xml.gz")]
    [InlineData("google-report.eml")]
    [InlineData("yahoo-report.eml")]
    [InlineData("rfc9990-report.eml")]
    public void Reads_every_container(string file)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport -LiteralPath $args[0]", Sample(file)).ThrowOnError();
        Assert.Single(r.Output);
    }

    [Fact]
    public void Get_ChildItem_pipes_in_by_property_name()
    {
        CopyToScratch("google.com!example.com!1700006400!1700092799.zip", "enterprise.protection.outlook.com!example.com!1700006400!1700092800.xml.gz");
        using var ps = new PowerShellSession();
        // Get-ChildItem is not in the hosted engine: FileInfo objects bind by FullName, provider items by PSPath.
        var r = ps.Run("[System.IO.DirectoryInfo]::new($args[0]).GetFiles() | Import-DmarcReport | ForEach-Object OrgName", _scratch).ThrowOnError();
        Assert.Equal(new[] { "Enterprise Outlook", "google.com" }, r.Output.Select(o => o.ToString()).OrderBy(s => s, StringComparer.Ordinal));
        var byPsPath = ps.Run("[System.IO.DirectoryInfo]::new($args[0]).GetFiles() | ForEach-Object { [pscustomobject]@{ PSPath = 'Microsoft.PowerShell.Core\\FileSystem::' + $_.FullName } } | Import-DmarcReport | ForEach-Object OrgName", _scratch).ThrowOnError();
        Assert.Equal(2, byPsPath.Output.Count);
    }

    [Fact]
    public void FullName_binds_like_a_file()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ FullName = $args[0] } | Import-DmarcReport | ForEach-Object ReportId", Sample("rfc9990-example.com.xml")).ThrowOnError();
        Assert.Equal("a7c4e1f0-2b3d-4e5f-8a9b-0c1d2e3f4a5b", Assert.Single(r.Output).ToString());
    }

    [Fact]
    public void Folder_with_recurse_imports_subfolders()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_scratch, "2023", "11")).FullName;
        File.Copy(Sample("rfc9990-example.com.xml"), Path.Combine(sub, "a.xml"));
        File.Copy(Sample("yahoo-report.eml"), Path.Combine(_scratch, "b.eml"));
        File.WriteAllText(Path.Combine(_scratch, "notes.txt"), "not a report");
        using var ps = new PowerShellSession();
        Assert.Single(ps.Run("Import-DmarcReport $args[0]", _scratch).ThrowOnError().Output);
        Assert.Equal(2, ps.Run("Import-DmarcReport $args[0] -Recurse", _scratch).ThrowOnError().Output.Count);
    }

    [Fact]
    public void Bad_file_among_good_ones_is_a_non_terminating_error()
    {
        CopyToScratch("google.com!example.com!1700006400!1700092799.xml", "xxe.xml", "invalid-utf8.xml", "not-a-report.xml",
            "billion-laughs.xml", "rfc9990-example.com.xml", "no-attachment.eml");
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport $args[0]", _scratch);
        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "Mail Receiver Example", "google.com" }, r.Output.Select(o => o.Properties["OrgName"].Value.ToString()).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(5, r.Errors.Count);
        var ids = r.ErrorIds.Select(id => id.Split(',')[0]).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "DmarcReportDtdProhibited", "DmarcReportDtdProhibited", "DmarcReportInvalidEncoding", "DmarcReportNoAttachment", "DmarcReportNotAggregateReport" }, ids);
        Assert.All(r.Errors, e => Assert.NotNull(e.TargetObject));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hostile_files_are_errors_for_themselves_and_every_later_file_imports(bool expand)
    {
        // Issue 13 item 1: each of these stopped the run before, and the files after it were never read.
        MailAuth.Tests.DmarcReports.HostileReportFiles.WriteMessageWithEmptyReportPart(_scratch);
        MailAuth.Tests.DmarcReports.HostileReportFiles.WriteMultipartWithClosedReportPart(_scratch);
        MailAuth.Tests.DmarcReports.HostileReportFiles.WriteZipWithUnopenableEntry(_scratch, corruptLocalHeader: false);
        MailAuth.Tests.DmarcReports.HostileReportFiles.WriteZipWithUnopenableEntry(_scratch, corruptLocalHeader: true);
        MailAuth.Tests.DmarcReports.HostileReportFiles.WriteGzipWithHugeOrgName(_scratch, megabytes: 8);
        File.Copy(Sample("google.com!example.com!1700006400!1700092799.xml"), Path.Combine(_scratch, "z-last-good.xml"));
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport $args[0]" + (expand ? " -Expand" : string.Empty), _scratch);
        Assert.Null(r.Terminating);
        var ids = r.ErrorIds.Select(id => id.Split(',')[0]).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "DmarcReportNoAttachment", "DmarcReportNoAttachment", "DmarcReportTooLarge", "DmarcReportUnreadable", "DmarcReportUnreadable" }, ids);
        Assert.All(r.Errors, e => Assert.NotNull(e.TargetObject));
        // The good entry of the first zip and the last file; the second zip's good entry is the same report as the
        // first's (same reporter and report id), so it is left out rather than counted twice.
        Assert.Equal(2, r.Output.Select(o => o.Properties["ReportId"].Value.ToString()).Distinct().Count());
        Assert.Equal(2, r.Output.Select(o => o.Properties["Source"].Value.ToString()).Distinct().Count());
        Assert.Contains(r.Output, o => o.Properties["Source"].Value.ToString().EndsWith("z-last-good.xml", StringComparison.Ordinal));
    }

    [Fact]
    public void Legacy_encodings_import_and_an_unsupported_one_is_a_non_terminating_error()
    {
        CopyToScratch("windows-1252-report.xml", "koi8-r-report.xml", "unsupported-encoding-report.xml", "rfc9990-without-namespace.xml");
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport $args[0]", _scratch);
        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "Mail Receiver Example", "Réseau Messagerie – Österreich", "Почта Пример" },
            r.Output.Select(o => o.Properties["OrgName"].Value.ToString()).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal("Rfc9990", r.Output.Single(o => o.Properties["OrgName"].Value.ToString() == "Mail Receiver Example").Properties["Schema"].Value.ToString());
        var id = Assert.Single(r.ErrorIds);
        Assert.StartsWith("DmarcReportUnsupportedEncoding,", id);
        Assert.Contains("unsupported encoding x-mailauth-unknown", r.Errors.Single().Exception.Message);
    }

    [Fact]
    public void Zip_and_gzip_bombs_are_refused_and_the_other_files_import()
    {
        WriteBomb(Path.Combine(_scratch, "bomb.xml.gz"), zip: false);
        WriteBomb(Path.Combine(_scratch, "bomb.zip"), zip: true);
        CopyToScratch("rfc9990-example.com.xml");
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport $args[0] -Expand", _scratch);
        Assert.Equal(2, r.Output.Count);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.ErrorIds, id => Assert.StartsWith("DmarcReportDecompressionLimit,", id));
    }

    [Fact]
    public void Truncated_report_with_expand_writes_its_rows_then_an_error()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport -LiteralPath $args[0] -Expand", Sample("truncated-after-two-records.xml"));
        Assert.Equal(2, r.Output.Count);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("DmarcReportNotXml,", error.FullyQualifiedErrorId);
        Assert.Contains("2 record(s)", error.Exception.Message);
    }

    [Fact]
    public void Truncated_report_without_expand_writes_nothing()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport -LiteralPath $args[0]", Sample("truncated-after-two-records.xml"));
        Assert.Empty(r.Output);
        Assert.Single(r.Errors);
    }

    [Fact]
    public void Missing_path_is_a_clear_error()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Import-DmarcReport -Path $args[0], $args[1]", Path.Combine(_scratch, "nothing-*.xml"), Sample("rfc9990-example.com.xml"));
        Assert.Single(r.Output);
        Assert.StartsWith("DmarcReportFileNotFound,", Assert.Single(r.ErrorIds));
    }

    [Fact]
    public void Wildcards_expand_and_literal_paths_do_not()
    {
        CopyToScratch("rfc9990-example.com.xml", "microsoft-rfc7489-example.com.xml");
        using var ps = new PowerShellSession();
        Assert.Equal(2, ps.Run("Import-DmarcReport ($args[0] + '/*.xml')", _scratch).ThrowOnError().Output.Count);
        var literal = ps.Run("Import-DmarcReport -LiteralPath ($args[0] + '/*.xml')", _scratch);
        Assert.Empty(literal.Output);
        Assert.StartsWith("DmarcReportFileNotFound,", Assert.Single(literal.ErrorIds));
    }

    [Fact]
    public void Default_views_show_the_reports_and_rows()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format("Import-DmarcReport -LiteralPath $args[0]", Sample("google.com!example.com!1700006400!1700092799.xml"));
        Assert.Contains("4851795216853416227", text);
        Assert.Contains("2023-11-15 00:00", text);
        var rows = ps.Format("Import-DmarcReport -LiteralPath $args[0] -Expand", Sample("google.com!example.com!1700006400!1700092799.xml"));
        Assert.Contains("203.0.113.30", rows);
        Assert.Contains("HeaderFrom", rows);
    }

    private static void WriteBomb(string path, bool zip)
    {
        using var file = File.Create(path);
        Stream target;
        ZipArchive archive = null;
        if (zip)
        {
            archive = new ZipArchive(file, ZipArchiveMode.Create);
            target = archive.CreateEntry("report.xml", CompressionLevel.Optimal).Open();
        }
        else
        {
            target = new GZipStream(file, CompressionLevel.Optimal);
        }
        using (target)
        {
            var head = System.Text.Encoding.UTF8.GetBytes("<feedback><report_metadata><org_name>");
            target.Write(head, 0, head.Length);
            var block = new byte[1024 * 1024];
            Array.Fill(block, (byte)' ');
            for (int i = 0; i < 64; i++) target.Write(block, 0, block.Length);
        }
        archive?.Dispose();
    }
}
