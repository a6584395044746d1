using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using MailAuth.Tests.Infrastructure;

namespace MailAuth.Tests.DmarcReports;

/// <summary>
/// Hostile report files made on the spot (nothing large is committed): attachments without a body,
/// zip entries that cannot be opened, and a gzip file that holds one huge text element while staying
/// within the size and ratio limits. Shared by the core and the PowerShell tests.
/// </summary>
internal static class HostileReportFiles
{
    private static string Sample(string name) => RepositoryPaths.DataFile("reports", name);

    /// <summary>A message whose only part is a report attachment with headers and no body at all.</summary>
    public static string WriteMessageWithEmptyReportPart(string directory)
    {
        var path = Path.Combine(directory, "empty-part.eml");
        File.WriteAllText(path,
            "From: noreply-dmarc-support@google.com\r\nTo: dmarc@example.com\r\nSubject: Report domain: example.com\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: application/xml; name=\"r.xml\"\r\nContent-Disposition: attachment; filename=\"r.xml\"\r\n");
        return path;
    }

    /// <summary>A multipart message whose report part is closed by the boundary straight after its headers.</summary>
    public static string WriteMultipartWithClosedReportPart(string directory)
    {
        var path = Path.Combine(directory, "closed-part.eml");
        File.WriteAllText(path,
            "From: noreply-dmarc-support@google.com\r\nTo: dmarc@example.com\r\nSubject: Report domain: example.com\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
            "--b1\r\nContent-Type: text/plain\r\n\r\nThe report is attached.\r\n" +
            "--b1\r\nContent-Type: application/xml; name=\"r.xml\"\r\nContent-Disposition: attachment; filename=\"r.xml\"\r\n" +
            "--b1--\r\n");
        return path;
    }

    /// <summary>
    /// A zip of two entries: bad.xml, which cannot be opened (<paramref name="corruptLocalHeader"/>: its local
    /// header names a file name longer than the archive; otherwise it claims compression method 14, LZMA), then good.xml, a real report.
    /// </summary>
    public static string WriteZipWithUnopenableEntry(string directory, bool corruptLocalHeader)
    {
        var path = Path.Combine(directory, corruptLocalHeader ? "corrupt-header.zip" : "lzma-entry.zip");
        using (var file = File.Create(path))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var report = File.ReadAllBytes(Sample("rfc9990-example.com.xml"));
            foreach (var name in new[] { "bad.xml", "good.xml" })
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(report, 0, report.Length);
            }
        }
        var bytes = File.ReadAllBytes(path);
        // The first local header is at offset 0; its compression method is at +8, and the matching
        // central directory header (signature PK\1\2) names the method again at +10.
        if (corruptLocalHeader)
        {
            bytes[26] = 0xff; // a file name longer than the archive
            bytes[27] = 0xff;
        }
        else
        {
            bytes[8] = 14;
            int central = IndexOf(bytes, new byte[] { 0x50, 0x4b, 0x01, 0x02 });
            bytes[central + 10] = 14;
        }
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// A gzip report whose &lt;org_name&gt; holds <paramref name="megabytes"/> MiB of text, written as a stream.
    /// The text is a pseudo-random mix of two letters, so it compresses about 6 times: well within the
    /// compression-ratio limit, which therefore cannot be what stops it.
    /// </summary>
    public static string WriteGzipWithHugeOrgName(string directory, int megabytes)
    {
        var path = Path.Combine(directory, "huge-org-name.xml.gz");
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        Write(gz, "<?xml version=\"1.0\"?><feedback><report_metadata><org_name>");
        var random = new Random(13);
        var block = new byte[1024 * 1024];
        for (int m = 0; m < megabytes; m++)
        {
            random.NextBytes(block);
            for (int i = 0; i < block.Length; i++) block[i] = (block[i] & 1) == 0 ? (byte)'a' : (byte)'b';
            gz.Write(block, 0, block.Length);
        }
        Write(gz, "</org_name><report_id>1</report_id><date_range><begin>1700006400</begin><end>1700092799</end></date_range></report_metadata>" +
            "<policy_published><domain>example.com</domain><p>none</p></policy_published>" +
            "<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record></feedback>");
        return path;
    }

    /// <summary>
    /// A gzip report of <paramref name="records"/> records, streamed as it is written: the shape of a large
    /// legitimate report (each record differs, so it compresses like a real one).
    /// </summary>
    public static string WriteGzipReport(string directory, int records, string name = "large.xml.gz")
    {
        var path = Path.Combine(directory, name);
        using var file = File.Create(path);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        using var w = new StreamWriter(gz, new UTF8Encoding(false), 64 * 1024);
        w.Write("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>Large Receiver</org_name><report_id>large-1</report_id>" +
            "<date_range><begin>1700006400</begin><end>1700092799</end></date_range></report_metadata>" +
            "<policy_published><domain>example.com</domain><p>none</p></policy_published>");
        for (int i = 0; i < records; i++)
        {
            w.Write("<record><row><source_ip>10.");
            w.Write((i >> 16) & 255); w.Write('.'); w.Write((i >> 8) & 255); w.Write('.'); w.Write(i & 255);
            w.Write("</source_ip><count>");
            w.Write(i % 97 + 1);
            w.Write("</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>" +
                "<identifiers><header_from>example.com</header_from></identifiers><auth_results><dkim><domain>example.com</domain>" +
                "<result>pass</result></dkim><spf><domain>bounce.example.com</domain><result>fail</result></spf></auth_results></record>");
        }
        w.Write("</feedback>");
        return path;
    }

    private static void Write(Stream s, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        s.Write(bytes, 0, bytes.Length);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        throw new InvalidOperationException("not found");
    }
}
