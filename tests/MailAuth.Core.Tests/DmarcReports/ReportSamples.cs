using System.IO;
using System.IO.Compression;
using MailAuth.Tests.Infrastructure;

namespace MailAuth.Tests.DmarcReports;

/// <summary>The sample reports of tests/data/reports, and bombs made on the spot.</summary>
internal static class ReportSamples
{
    public const string Google = "google.com!example.com!1700006400!1700092799.xml";
    public const string GoogleZip = "google.com!example.com!1700006400!1700092799.zip";
    public const string MicrosoftGz = "enterprise.protection.outlook.com!example.com!1700006400!1700092800.xml.gz";
    public const string Microsoft = "microsoft-rfc7489-example.com.xml";
    public const string Yahoo = "yahoo-draft-example.com-1700006400.xml";
    public const string Rfc9990 = "rfc9990-example.com.xml";
    public const string GoogleSenderRequirements = "google-sender-requirements.xml";

    public static string PathOf(string name) => RepositoryPaths.DataFile("reports", name);

    public static Stream Open(string name) => File.OpenRead(PathOf(name));

    /// <summary>A gzip file of a few kilobytes that expands to <paramref name="megabytes"/> MB of zeros after a report-looking start.</summary>
    public static string WriteGzipBomb(string directory, int megabytes = 64)
    {
        var path = Path.Combine(directory, "bomb.xml.gz");
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Optimal);
        WriteBombContent(gz, megabytes);
        return path;
    }

    /// <summary>A zip file whose single entry expands to <paramref name="megabytes"/> MB.</summary>
    public static string WriteZipBomb(string directory, int megabytes = 64)
    {
        var path = Path.Combine(directory, "bomb.zip");
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        var entry = zip.CreateEntry("report.xml", CompressionLevel.Optimal);
        using var s = entry.Open();
        WriteBombContent(s, megabytes);
        return path;
    }

    private static void WriteBombContent(Stream s, int megabytes)
    {
        var head = System.Text.Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>");
        s.Write(head, 0, head.Length);
        var block = new byte[1024 * 1024];
        for (int i = 0; i < block.Length; i++) block[i] = (byte)'A';
        for (int i = 0; i < megabytes; i++) s.Write(block, 0, block.Length);
    }
}
