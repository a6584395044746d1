using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Spf;
using MailAuth.Dns;
using MailAuth.Common;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>
/// RFC 9989 §4.8 (draft-ietf-dmarc-dmarcbis-41 §4.8): the record grammar's tag names and values are ABNF
/// quoted strings, which are case-insensitive (RFC 5234 §2.3); only the version value is written
/// <c>%s"DMARC1"</c> (RFC 7405), so only <c>DMARC1</c> is case-sensitive.
/// </summary>
public sealed class DmarcRecordCaseTests
{
    private static readonly Dictionary<string, Func<DmarcPolicyRecord, string>> Properties = new Dictionary<string, Func<DmarcPolicyRecord, string>>
    {
        ["IsDmarcRecord"] = r => r.IsDmarcRecord.ToString(),
        ["Policy"] = r => r.Policy?.ToString() ?? "null",
        ["SubdomainPolicy"] = r => r.SubdomainPolicy?.ToString() ?? "null",
        ["NonExistentSubdomainPolicy"] = r => r.NonExistentSubdomainPolicy?.ToString() ?? "null",
        ["DkimAlignment"] = r => r.DkimAlignment.ToString(),
        ["SpfAlignment"] = r => r.SpfAlignment.ToString(),
        ["Testing"] = r => r.Testing.ToString(),
        ["Psd"] = r => r.Psd.ToString(),
        ["FailureOptions"] = r => r.FailureOptions,
        ["ReportUri"] = r => string.Join(",", r.ReportUri.Where(u => u.IsValid).Select(u => u.Address)),
        ["FailureReportUri"] = r => string.Join(",", r.FailureReportUri.Where(u => u.IsValid).Select(u => u.Address)),
        ["Percentage"] = r => r.Percentage?.ToString() ?? "null",
        ["ReportFormat"] = r => r.ReportFormat ?? "null",
        ["ReportInterval"] = r => r.ReportInterval?.ToString() ?? "null",
        ["ErrorCodes"] = r => string.Join(",", r.Findings.Where(f => f.Severity == FindingSeverity.Error).Select(f => f.Code)),
    };

    /// <summary>Record text, the property read, and its value: every tag of RFC 9989 §4.7 (and the legacy pct, rf, ri) in other cases.</summary>
    public static TheoryData<string, string, string> Cases => new TheoryData<string, string, string>
    {
        // v: the tag name is case-insensitive, the value DMARC1 is not.
        { "V=DMARC1; p=reject", "IsDmarcRecord", "True" },
        { "V=DMARC1; p=reject", "Policy", "Reject" },
        { "V = DMARC1 ; P=Reject", "Policy", "Reject" },
        { "v=dmarc1; p=reject", "IsDmarcRecord", "False" },
        { "v=Dmarc1; p=reject", "IsDmarcRecord", "False" },
        { "V=dmarc1; p=reject", "IsDmarcRecord", "False" },
        // p, sp, np
        { "v=DMARC1; p=REJECT", "Policy", "Reject" },
        { "v=DMARC1; p=Quarantine", "Policy", "Quarantine" },
        { "v=DMARC1; P=NONE", "Policy", "None" },
        { "v=DMARC1; p=none; SP=REJECT", "SubdomainPolicy", "Reject" },
        { "v=DMARC1; p=none; sp=Quarantine", "SubdomainPolicy", "Quarantine" },
        { "v=DMARC1; p=reject; sp=NONE", "SubdomainPolicy", "None" },
        { "v=DMARC1; p=none; NP=REJECT", "NonExistentSubdomainPolicy", "Reject" },
        { "v=DMARC1; p=none; np=Quarantine", "NonExistentSubdomainPolicy", "Quarantine" },
        { "v=DMARC1; p=reject; np=NONE", "NonExistentSubdomainPolicy", "None" },
        // adkim, aspf
        { "v=DMARC1; p=reject; adkim=S", "DkimAlignment", "Strict" },
        { "v=DMARC1; p=reject; ADKIM=S", "DkimAlignment", "Strict" },
        { "v=DMARC1; p=reject; adkim=R", "DkimAlignment", "Relaxed" },
        { "v=DMARC1; p=reject; adkim=R", "ErrorCodes", "" },
        { "v=DMARC1; p=reject; aspf=S", "SpfAlignment", "Strict" },
        { "v=DMARC1; p=reject; Aspf=S", "SpfAlignment", "Strict" },
        { "v=DMARC1; p=reject; aspf=R", "SpfAlignment", "Relaxed" },
        { "v=DMARC1; p=reject; aspf=R", "ErrorCodes", "" },
        // t
        { "v=DMARC1; p=reject; t=Y", "Testing", "True" },
        { "v=DMARC1; p=reject; T=Y", "Testing", "True" },
        { "v=DMARC1; p=reject; t=N", "Testing", "False" },
        { "v=DMARC1; p=reject; t=N", "ErrorCodes", "" },
        // psd
        { "v=DMARC1; p=reject; psd=Y", "Psd", "Yes" },
        { "v=DMARC1; p=reject; PSD=Y", "Psd", "Yes" },
        { "v=DMARC1; p=reject; psd=N", "Psd", "No" },
        { "v=DMARC1; p=reject; psd=U", "Psd", "Unspecified" },
        { "v=DMARC1; p=reject; psd=U", "ErrorCodes", "" },
        // fo
        { "v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=D:S", "FailureOptions", "d:s" },
        { "v=DMARC1; p=reject; ruf=mailto:f@example.com; FO=D", "FailureOptions", "d" },
        { "v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=S:1", "FailureOptions", "s:1" },
        { "v=DMARC1; p=reject; ruf=mailto:f@example.com; fo=D:S", "ErrorCodes", "" },
        // rua, ruf: the tag names and the URI scheme (RFC 3986 §3.1) are case-insensitive.
        { "v=DMARC1; p=reject; RUA=mailto:a@example.com", "ReportUri", "a@example.com" },
        { "v=DMARC1; p=reject; rua=MAILTO:a@example.com", "ReportUri", "a@example.com" },
        { "v=DMARC1; p=reject; RUF=Mailto:f@example.com", "FailureReportUri", "f@example.com" },
        // the legacy tags that RFC 9989 removed (RFC 7489 §6.3) keep their values in any case.
        { "v=DMARC1; p=reject; PCT=50", "Percentage", "50" },
        { "v=DMARC1; p=reject; RF=AFRF", "ReportFormat", "AFRF" },
        { "v=DMARC1; p=reject; RI=3600", "ReportInterval", "3600" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tag_names_and_values_are_case_insensitive_except_DMARC1(string record, string property, string expected)
    {
        var parsed = DmarcRecordParser.Parse(record);
        Assert.Equal(expected, Properties[property](parsed));
    }

    [Theory]
    [InlineData("V=DMARC1; p=reject")]
    [InlineData("v = DMARC1; p=reject")]
    public void Version_tag_name_is_case_insensitive_in_the_record_check(string record) =>
        Assert.True(DmarcRecordParser.IsDmarcRecord(record));

    [Fact]
    public async Task Upper_case_version_tag_is_discovered_and_its_policy_applied()
    {
        var dns = new InMemoryResolver().AddA("example.test", "192.0.2.1").AddTxt("_dmarc.example.test", "V=DMARC1; p=REJECT");
        var r = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("example.test", null, SpfResult.Fail, null));
        Assert.Equal(DmarcResult.Fail, r.Result);
        Assert.Equal(DmarcDisposition.Reject, r.Disposition);
    }

    [Fact]
    public async Task Upper_case_strict_alignment_fails_a_subdomain_signature()
    {
        var dns = new InMemoryResolver().AddA("example.test", "192.0.2.1").AddTxt("_dmarc.example.test", "v=DMARC1; p=reject; adkim=S; aspf=S");
        var r = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("example.test", "bounce.example.test", SpfResult.Pass, new[] { "mail.example.test" }));
        Assert.Equal(DmarcResult.Fail, r.Result);
        Assert.False(r.DkimAligned);
        Assert.False(r.SpfAligned);
    }

    [Fact]
    public async Task Upper_case_testing_flag_is_honoured()
    {
        var dns = new InMemoryResolver().AddA("example.test", "192.0.2.1").AddTxt("_dmarc.example.test", "v=DMARC1; p=reject; t=Y");
        var r = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("example.test", null, SpfResult.Fail, null));
        Assert.True(r.Testing);
        Assert.NotEqual(DmarcDisposition.Reject, r.Disposition);
    }

    [Theory]
    [InlineData("psd=Y")]
    [InlineData("PSD=Y")]
    public async Task Upper_case_psd_y_keeps_registrants_under_a_public_suffix_apart(string psd)
    {
        // With psd=y at _dmarc.example, a.example and b.example are separate Organizational Domains (RFC 9989 §4.10.1),
        // so a.example's signature does not align with mail from b.example.
        var dns = new InMemoryResolver()
            .AddA("b.example", "192.0.2.1")
            .AddTxt("_dmarc.example", "v=DMARC1; p=reject; " + psd);
        var org = await new OrganizationalDomainFinder(dns).FindAsync("x.b.example");
        Assert.Equal("b.example", org.OrganizationalDomain);
        var r = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("b.example", null, SpfResult.None, new[] { "a.example" }));
        Assert.False(r.DkimAligned);
        Assert.Equal(DmarcResult.Fail, r.Result);
    }

    [Fact]
    public async Task Upper_case_psd_n_makes_its_domain_the_organizational_domain()
    {
        var dns = new InMemoryResolver().AddTxt("_dmarc.y.example.com", "v=DMARC1; p=quarantine; psd=N").AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var org = await new OrganizationalDomainFinder(dns).FindAsync("x.y.example.com");
        Assert.Equal("y.example.com", org.OrganizationalDomain);
    }
}
