using System.IO;
using System.Linq;
using MailAuth.DmarcReports;
using Xunit;

namespace MailAuth.Tests.DmarcReports;

/// <summary>
/// Reports whose XML declaration names a legacy encoding (real reporters send windows-1252) are decoded
/// with every encoding .NET can provide (System.Text.Encoding.CodePages), in any .NET host; an encoding
/// that cannot be decoded is named as unsupported. RFC 9990-format reports are labelled Rfc9990.
/// </summary>
public sealed class ReportEncodingTests
{
    [Theory]
    [InlineData("windows-1252-report.xml", "Réseau Messagerie – Österreich", "clé “valide”")]
    [InlineData("koi8-r-report.xml", "Почта Пример", "подпись верна")]
    public void Legacy_encoding_named_in_the_declaration_is_decoded(string file, string orgName, string humanResult)
    {
        using var s = ReportSamples.Open(file);
        var report = DmarcAggregateReportReader.Read(s, file);
        Assert.Equal(orgName, report.OrgName);
        Assert.Equal(humanResult, report.Records.Single().DkimResults.Single().HumanResult);
        Assert.Equal(ReportSchema.Rfc7489, report.Schema);
    }

    [Fact]
    public void Unknown_encoding_is_named_as_unsupported()
    {
        const string file = "unsupported-encoding-report.xml";
        using var s = ReportSamples.Open(file);
        var ex = Assert.Throws<DmarcReportException>(() => DmarcAggregateReportReader.Read(s, file));
        Assert.Equal(DmarcReportException.UnsupportedEncodingErrorId, ex.ErrorId);
        Assert.Contains("unsupported encoding x-mailauth-unknown", ex.Message);
        Assert.DoesNotContain("not valid in its encoding", ex.Message);
    }

    [Fact]
    public void Unknown_encoding_in_a_streamed_import_is_an_error_value_not_an_exception()
    {
        var results = new DmarcReportImporter().ReadFile(ReportSamples.PathOf("unsupported-encoding-report.xml"), expand: false).ToList();
        var result = Assert.Single(results);
        Assert.Equal(DmarcReportException.UnsupportedEncodingErrorId, result.Error.ErrorId);
    }

    [Fact]
    public void Invalid_utf8_still_blames_the_bytes()
    {
        using var s = ReportSamples.Open("invalid-utf8.xml");
        var ex = Assert.Throws<DmarcReportException>(() => DmarcAggregateReportReader.Read(s, "invalid-utf8.xml"));
        Assert.Equal(DmarcReportException.InvalidEncodingErrorId, ex.ErrorId);
    }

    [Fact]
    public void Rfc9990_report_without_the_namespace_is_labelled_by_its_rfc9990_elements()
    {
        using var s = ReportSamples.Open("rfc9990-without-namespace.xml");
        var report = DmarcAggregateReportReader.Read(s, "rfc9990-without-namespace.xml");
        Assert.Equal(ReportSchema.Rfc9990, report.Schema);
    }

    [Fact]
    public void Rfc7489_report_stays_rfc7489()
    {
        using var s = ReportSamples.Open(ReportSamples.Microsoft);
        Assert.Equal(ReportSchema.Rfc7489, DmarcAggregateReportReader.Read(s, "microsoft").Schema);
    }
}
