using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using CsCheck;
using MailAuth.DmarcReports;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// Aggregate reports under fuzzing (RFC 7489 Appendix C, RFC 9990): mutated XML through the reader, which
/// throws only <see cref="DmarcReportException"/>; and mutated files of every container (xml, gz, zip, eml)
/// through the importer, which never throws and gives an error result for whatever it cannot read.
/// </summary>
public sealed class AggregateReportFuzzTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("mailauth-fuzz-reports-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static byte[] Sample(string name) => File.ReadAllBytes(RepositoryPaths.DataFile("reports", name));

    private static readonly byte[][] XmlSamples =
        new[] { "google.com!example.com!1700006400!1700092799.xml", "rfc9990-example.com.xml", "yahoo-draft-example.com-1700006400.xml", "microsoft-rfc7489-example.com.xml" }
            .Select(Sample).ToArray();

    private static readonly string[] XmlTokens =
    {
        "<feedback>", "</feedback>", "<record>", "</record>", "<row>", "</row>", "<count>", "</count>", "<count>-1</count>", "<count>99999999999999999999</count>",
        "<source_ip>", "</source_ip>", "<begin>", "<begin>1e400</begin>", "<end>-5</end>", "<report_metadata>", "</report_metadata>", "<policy_published>",
        "</policy_published>", "<org_name>", "</org_name>", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#x110000;", "&unknown;", "<!DOCTYPE x>", "<?xml version=\"1.0\" encoding=\"utf-16\"?>",
        "<?xml version=\"1.0\" encoding=\"x-bogus\"?>", "xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"", "<a:b xmlns:a=\"x\">", "<", ">", "/>", "\"", "'", "=",
    };

    /// <summary>Report XML: mutated real reports, and token soup inside a report's skeleton.</summary>
    private static readonly Gen<byte[]> Xml = Gen.OneOf(
        Gen.OneOf(XmlSamples.Select(FuzzRun.Mutations).ToArray()),
        FuzzRun.Tokens(XmlTokens, "", " ", "\n").Select(t => Encoding.UTF8.GetBytes("<feedback><report_metadata><org_name>o</org_name>" + t + "</feedback>")),
        Gen.Byte.Array[0, 300]);

    [Fact]
    public void Report_reader_throws_only_DmarcReportException()
    {
        var options = new DmarcReportReaderOptions { MaxRecordBytes = 64 * 1024, MaxReportBytes = 256 * 1024 };
        Xml.Sample(data =>
        {
            try { Assert.NotNull(DmarcAggregateReportReader.Read(new MemoryStream(data), "fuzz", options)); }
            catch (DmarcReportException ex) { Assert.False(string.IsNullOrEmpty(ex.ErrorId)); }
            try { foreach (var row in DmarcAggregateReportReader.ReadRows(new MemoryStream(data), "fuzz", options)) Assert.NotNull(row); }
            catch (DmarcReportException ex) { Assert.False(string.IsNullOrEmpty(ex.ErrorId)); }
        }, iter: FuzzRun.Iterations(20_000));
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data, 0, data.Length);
        return output.ToArray();
    }

    private static byte[] Zip(byte[] data)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("a.xml").Open()) s.Write(data, 0, data.Length);
            using (var s = zip.CreateEntry("b.xml.gz").Open()) { var gz = Gzip(data); s.Write(gz, 0, gz.Length); }
        }
        return output.ToArray();
    }

    private static byte[] Message(byte[] attachment, string type, string name) => Encoding.ASCII.GetBytes(
        "From: dmarc@receiver.example\r\nTo: rua@example.com\r\nSubject: Report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n" +
        "--XX\r\nContent-Type: text/plain\r\n\r\nreport\r\n--XX\r\nContent-Type: " + type + "; name=\"" + name + "\"\r\nContent-Transfer-Encoding: base64\r\n" +
        "Content-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n" + Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks) + "\r\n--XX--\r\n");

    /// <summary>Every container the importer reads, each made from a real report and then mutated as bytes.</summary>
    private static readonly (string Extension, byte[] Bytes)[] Containers =
    {
        (".xml", XmlSamples[1]),
        (".xml.gz", Gzip(XmlSamples[0])),
        (".zip", Zip(XmlSamples[2])),
        (".eml", Message(Gzip(XmlSamples[1]), "application/gzip", "r.xml.gz")),
        (".eml", Message(Zip(XmlSamples[0]), "application/zip", "r.zip")),
        (".eml", Message(XmlSamples[3], "text/xml", "r.xml")),
    };

    [Fact]
    public void Importer_never_throws_for_any_container()
    {
        var options = new DmarcReportReaderOptions { MaxRecordBytes = 64 * 1024, MaxReportBytes = 256 * 1024, RatioCheckThresholdBytes = 64 * 1024 };
        var importer = new DmarcReportImporter(options);
        int n = 0, errors = 0, read = 0;
        Gen.Select(Gen.Int[0, Containers.Length - 1], Gen.Int[0, int.MaxValue], Gen.Bool).SelectMany((c, seed, expand) =>
                FuzzRun.Mutations(Containers[c].Bytes).Select(bytes => (Containers[c].Extension, bytes, expand)))
            .Sample(input =>
            {
                var path = Path.Combine(_scratch, "f" + System.Threading.Interlocked.Increment(ref n) + input.Extension);
                File.WriteAllBytes(path, input.bytes);
                foreach (var result in importer.ReadFile(path, input.expand))
                {
                    Assert.True(result.Error != null || result.Report != null || result.Row != null);
                    System.Threading.Interlocked.Increment(ref result.Error != null ? ref errors : ref read);
                }
                File.Delete(path);
            }, iter: FuzzRun.Iterations(5_000));
        // The mutations reach both sides: files that still import, and files that fail.
        Assert.True(errors > 0 && read > 0, $"{errors} errors, {read} reports or rows");
    }
}
