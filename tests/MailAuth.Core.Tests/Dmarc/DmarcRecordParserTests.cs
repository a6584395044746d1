using System.Linq;
using MailAuth.Dmarc;
using Xunit;

namespace MailAuth.Tests.Dmarc;

public sealed class DmarcRecordParserTests
{
    [Fact]
    public void Every_tag_is_parsed()
    {
        var r = DmarcRecordParser.Parse("v=DMARC1; p=reject; sp=quarantine; np=none; adkim=s; aspf=s; rua=mailto:a@example.com,mailto:b@example.net!10m; ruf=mailto:f@example.com; fo=d:s; psd=n; t=y");
        Assert.True(r.IsDmarcRecord);
        Assert.Equal(DmarcPolicy.Reject, r.Policy);
        Assert.Equal(DmarcPolicy.Quarantine, r.SubdomainPolicy);
        Assert.Equal(DmarcPolicy.None, r.NonExistentSubdomainPolicy);
        Assert.Equal(AlignmentMode.Strict, r.DkimAlignment);
        Assert.Equal(AlignmentMode.Strict, r.SpfAlignment);
        Assert.Equal(new[] { "a@example.com", "b@example.net" }, r.ReportUri.Select(u => u.Address));
        Assert.Equal("10m", r.ReportUri[1].SizeLimit);
        Assert.Equal("f@example.com", r.FailureReportUri.Single().Address);
        Assert.Equal("d:s", r.FailureOptions);
        Assert.Equal(DmarcPsd.No, r.Psd);
        Assert.True(r.Testing);
        Assert.Equal(new[] { "v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "fo", "psd", "t" }, r.Tags.Keys);
        Assert.DoesNotContain(r.Findings, f => f.Severity == MailAuth.Common.FindingSeverity.Error);
    }

    [Fact]
    public void Defaults_apply_when_tags_are_absent()
    {
        var r = DmarcRecordParser.Parse("v=DMARC1; p=none");
        Assert.Equal(AlignmentMode.Relaxed, r.DkimAlignment);
        Assert.Equal(AlignmentMode.Relaxed, r.SpfAlignment);
        Assert.Equal("0", r.FailureOptions);
        Assert.Equal(DmarcPsd.Unspecified, r.Psd);
        Assert.False(r.Testing);
        Assert.Null(r.Percentage);
        Assert.Equal(DmarcPolicy.None, r.EffectiveNonExistentSubdomainPolicy);
    }

    [Theory]
    [InlineData("v=spf1 -all", DmarcFindingCode.InvalidVersion)]
    [InlineData("p=reject; v=DMARC1", DmarcFindingCode.InvalidVersion)]
    [InlineData("v=dmarc1; p=reject", DmarcFindingCode.InvalidVersion)]
    [InlineData("v=DMARC1; p=reject; garbage", DmarcFindingCode.SyntaxError)]
    [InlineData("v=DMARC1; p=reject; p=none", DmarcFindingCode.DuplicateTag)]
    [InlineData("v=DMARC1; p=reject; foo=bar", DmarcFindingCode.UnknownTag)]
    [InlineData("v=DMARC1; rua=mailto:a@example.com", DmarcFindingCode.MissingPolicy)]
    [InlineData("v=DMARC1; p=block", DmarcFindingCode.InvalidPolicy)]
    [InlineData("v=DMARC1; p=reject; sp=maybe", DmarcFindingCode.InvalidTagValue)]
    [InlineData("v=DMARC1; p=reject; np=maybe", DmarcFindingCode.InvalidTagValue)]
    [InlineData("v=DMARC1; p=reject; adkim=x", DmarcFindingCode.InvalidTagValue)]
    [InlineData("v=DMARC1; p=reject; aspf=relaxed", DmarcFindingCode.InvalidTagValue)]
    [InlineData("v=DMARC1; p=reject; psd=yes", DmarcFindingCode.InvalidTagValue)]
    [InlineData("v=DMARC1; p=reject; t=1", DmarcFindingCode.InvalidTagValue)]
    [InlineData("v=DMARC1; p=reject; fo=2; ruf=mailto:f@example.com", DmarcFindingCode.InvalidTagValue)]
    [InlineData("v=DMARC1; p=reject; pct=50", DmarcFindingCode.RemovedTag)]
    [InlineData("v=DMARC1; p=reject; rf=afrf", DmarcFindingCode.RemovedTag)]
    [InlineData("v=DMARC1; p=reject; ri=86400", DmarcFindingCode.RemovedTag)]
    [InlineData("v=DMARC1; p=reject; rua=reports@example.com", DmarcFindingCode.InvalidReportUri)]
    [InlineData("v=DMARC1; p=reject; rua=mailto:nobody", DmarcFindingCode.InvalidReportUri)]
    [InlineData("v=DMARC1; p=reject; rua=https://reports.example.com/dmarc", DmarcFindingCode.UnsupportedReportUri)]
    [InlineData("v=DMARC1; p=reject; fo=1", DmarcFindingCode.FailureOptionsWithoutRuf)]
    [InlineData("v=DMARC1; p=reject; rua=mailto:a@example.com!10m", DmarcFindingCode.RemovedSizeLimit)]
    [InlineData("v=DMARC1; p=none; rua=mailto:a@example.com", DmarcFindingCode.PolicyNone)]
    [InlineData("v=DMARC1; p=reject", DmarcFindingCode.NoAggregateReports)]
    [InlineData("v=DMARC1; p=reject; t=y", DmarcFindingCode.TestingMode)]
    public void Syntax_problems_are_findings(string text, string code)
    {
        var r = DmarcRecordParser.Parse(text, "_dmarc.example.com");
        var finding = Assert.Single(r.Findings, f => f.Code == code);
        Assert.StartsWith("RFC ", finding.Reference);
        Assert.Equal("_dmarc.example.com", finding.Subject);
        Assert.False(string.IsNullOrEmpty(finding.Message));
    }

    [Fact]
    public void Legacy_tags_are_kept_and_flagged()
    {
        var r = DmarcRecordParser.Parse("v=DMARC1;p=none;pct=25;rf=afrf;ri=3600");
        Assert.Equal(25, r.Percentage);
        Assert.Equal("afrf", r.ReportFormat);
        Assert.Equal(3600, r.ReportInterval);
        Assert.Equal(3, r.Findings.Count(f => f.Code == DmarcFindingCode.RemovedTag));
    }

    [Fact]
    public void Invalid_policy_is_usable_as_none_only_with_a_valid_rua()
    {
        Assert.True(DmarcRecordParser.Parse("v=DMARC1; p=block; rua=mailto:a@example.com").IsUsable);
        Assert.Equal(DmarcPolicy.None, DmarcRecordParser.Parse("v=DMARC1; p=reject; sp=bad; rua=mailto:a@example.com").EffectiveSubdomainPolicy);
        Assert.False(DmarcRecordParser.Parse("v=DMARC1; p=block").IsUsable);
        Assert.False(DmarcRecordParser.Parse("v=DMARC1; p=reject; np=bad").IsUsable);
        // A missing p= counts as no valid p= (RFC 9989 §4.10.1): p=none with a valid rua=, unusable without.
        Assert.True(DmarcRecordParser.Parse("v=DMARC1; rua=mailto:a@example.com").IsUsable);
        var bare = DmarcRecordParser.Parse("v=DMARC1");
        Assert.False(bare.IsUsable);
        Assert.Equal(MailAuth.Common.FindingSeverity.Error, bare.Findings.Single(f => f.Code == DmarcFindingCode.MissingPolicy).Severity);
    }

    [Theory]
    [InlineData("v=DMARC1", true)]
    [InlineData(" v = DMARC1 ;p=none", true)]
    [InlineData("v=DMARC1x; p=none", false)]
    [InlineData("v=DMARC2; p=none", false)]
    [InlineData("", false)]
    public void Version_tag_must_come_first_and_match_exactly(string text, bool expected)
    {
        Assert.Equal(expected, DmarcRecordParser.IsDmarcRecord(text));
    }

    [Fact]
    public void Policy_precedence_np_then_sp_then_p()
    {
        Assert.Equal(DmarcPolicy.Quarantine, DmarcRecordParser.Parse("v=DMARC1; p=reject; sp=quarantine").EffectiveNonExistentSubdomainPolicy);
        Assert.Equal(DmarcPolicy.Reject, DmarcRecordParser.Parse("v=DMARC1; p=reject").EffectiveSubdomainPolicy);
        Assert.Equal(DmarcPolicy.None, DmarcRecordParser.Parse("v=DMARC1; p=reject; sp=quarantine; np=none").EffectiveNonExistentSubdomainPolicy);
    }

    [Theory]
    // Seed 004: the records an Amazon SES user published.
    [InlineData("v=DMARC1;p=none;pct=25", DmarcPolicy.None, 25, 0)]
    [InlineData("v=DMARC1;p=quarantine;pct=25;rua=mailto:dmarcreports@example.com", DmarcPolicy.Quarantine, 25, 1)]
    // Seed 002.
    [InlineData("v=DMARC1; p=none;", DmarcPolicy.None, null, 0)]
    public void Seed_records_parse(string text, DmarcPolicy policy, int? pct, int ruaCount)
    {
        var r = DmarcRecordParser.Parse(text);
        Assert.True(r.IsUsable);
        Assert.Equal(policy, r.Policy);
        Assert.Equal(pct, r.Percentage);
        Assert.Equal(ruaCount, r.ReportUri.Count);
        Assert.Equal(pct.HasValue, r.Findings.Any(f => f.Code == DmarcFindingCode.RemovedTag));
    }

    [Theory]
    // RFC 9989 §4.8 dmarc-fo: "0" and "1" exclude each other, and d and s each appear at most once.
    [InlineData("0", "0")]
    [InlineData("1", "1")]
    [InlineData("d", "d")]
    [InlineData("s", "s")]
    [InlineData("0:d", "0:d")]
    [InlineData("d:s", "d:s")]
    [InlineData("s:d:1", "s:d:1")]
    [InlineData("d:1:s", "d:1:s")]
    public void Valid_failure_options_are_kept(string fo, string expected)
    {
        var r = DmarcRecordParser.Parse("v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=" + fo);
        Assert.Equal(expected, r.FailureOptions);
        Assert.DoesNotContain(r.Findings, f => f.Code == DmarcFindingCode.InvalidTagValue);
    }

    [Theory]
    [InlineData("1:0")]
    [InlineData("0:1")]
    [InlineData("d:d")]
    [InlineData("s:1:s")]
    [InlineData("0:0")]
    [InlineData("d:")]
    [InlineData(":d")]
    [InlineData("d::s")]
    [InlineData("2")]
    public void Invalid_failure_options_fall_back_to_0_with_a_finding(string fo)
    {
        var r = DmarcRecordParser.Parse("v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=" + fo, "_dmarc.example.com");
        Assert.Equal("0", r.FailureOptions);
        var finding = Assert.Single(r.Findings, f => f.Code == DmarcFindingCode.InvalidTagValue);
        Assert.Contains("fo=" + fo, finding.Message);
        Assert.Equal("RFC 9989 §4.8", finding.Reference);
    }
}
