using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Spf;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dmarc;

public sealed class DmarcEvaluatorTests
{
    private static InMemoryResolver Zone() => new InMemoryResolver()
        .AddTxt("_dmarc.example.work", "v=DMARC1; p=reject; sp=quarantine; np=reject")
        .AddA("mail.example.work", "192.0.2.1")
        .AddTxt("_dmarc.strict.test", "v=DMARC1; p=reject; adkim=s; aspf=s")
        .AddTxt("_dmarc.testing.test", "v=DMARC1; p=reject; t=y")
        .AddTxt("_dmarc.testing-quarantine.test", "v=DMARC1; p=quarantine; t=y")
        .AddTxt("_dmarc.legacy.test", "v=DMARC1; p=reject; pct=25")
        .AddTxt("_dmarc.bad.test", "v=DMARC1; p=block")
        .AddTxt("_dmarc.none.test", "v=DMARC1; p=none");

    // The six Amazon SES configurations of seed 000 (Gmail's verdicts), as DMARC inputs.
    [Theory]
    [InlineData("ses-only", "ap-northeast-1.amazonses.com", "pass", "amazonses.com", DmarcResult.Fail)]
    [InlineData("own-dkim", "ap-northeast-1.amazonses.com", "pass", "amazonses.com,example.work", DmarcResult.Pass)]
    [InlineData("own-dkim-and-mail-from", "bounce.example.work", "pass", "amazonses.com,example.work", DmarcResult.Pass)]
    [InlineData("custom-mail-from-removed", "ap-northeast-1.amazonses.com", "pass", "example.work", DmarcResult.Pass)]
    [InlineData("mail-from-subdomain-only", "bounce.example.work", "pass", "amazonses.com", DmarcResult.Pass)]
    [InlineData("neither", "ap-northeast-1.amazonses.com", "fail", "", DmarcResult.Fail)]
    public async Task Ses_configurations(string name, string mailFrom, string spf, string dkim, DmarcResult expected)
    {
        Assert.NotNull(name);
        var input = new DmarcEvaluationInput("mail.example.work", mailFrom, System.Enum.Parse<SpfResult>(spf, ignoreCase: true), dkim.Split(',', System.StringSplitOptions.RemoveEmptyEntries));
        var r = await new DmarcEvaluator(Zone()).EvaluateAsync(input);
        Assert.Equal(expected, r.Result);
        Assert.Equal("example.work", r.RecordDomain);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
        Assert.Equal(expected == DmarcResult.Fail ? DmarcDisposition.Quarantine : DmarcDisposition.None, r.Disposition);
    }

    [Fact]
    public async Task Non_existent_from_domain_gets_np()
    {
        var r = await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput("ghost.example.work", null, SpfResult.None, null));
        Assert.Equal(DmarcResult.Fail, r.Result);
        Assert.Equal(AppliedPolicySource.NonExistentSubdomainPolicy, r.AppliedPolicySource);
        Assert.Equal(DmarcDisposition.Reject, r.Disposition);
    }

    [Fact]
    public async Task Strict_alignment_rejects_subdomains()
    {
        var r = await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput("strict.test", "bounce.strict.test", SpfResult.Pass, new[] { "mail.strict.test" }));
        Assert.Equal(DmarcResult.Fail, r.Result);
        Assert.False(r.SpfAligned);
        Assert.False(r.DkimAligned);
        Assert.Equal(DmarcDisposition.Reject, r.Disposition);
    }

    [Theory]
    // RFC 9989 §4.7 t=y: the Domain Owner expects the policy applied to failing mail to be one level below the one published.
    [InlineData("testing.test", DmarcPolicy.Reject, DmarcDisposition.Quarantine)]
    [InlineData("testing-quarantine.test", DmarcPolicy.Quarantine, DmarcDisposition.None)]
    public async Task Testing_mode_applies_the_policy_one_level_below(string domain, DmarcPolicy published, DmarcDisposition expected)
    {
        var r = await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput(domain, null, SpfResult.Fail, null));
        Assert.Equal(DmarcResult.Fail, r.Result);
        Assert.True(r.Testing);
        Assert.Equal(expected, r.Disposition);
        Assert.Equal(published, r.AppliedPolicy);
        Assert.Contains("t=y", r.Reason);
    }

    [Fact]
    public async Task Pct_is_ignored_by_rfc9989_and_sampled_in_legacy_mode()
    {
        var dns = Zone();
        var modern = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("legacy.test", null, SpfResult.Fail, null) { PercentageSample = 90 });
        Assert.Equal(DmarcDisposition.Reject, modern.Disposition);
        var sampledOut = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("legacy.test", null, SpfResult.Fail, null) { PercentageSample = 90 }, DmarcDiscoveryMode.Psl);
        Assert.Equal(DmarcDisposition.Quarantine, sampledOut.Disposition);
        Assert.True(sampledOut.PercentageExcluded);
        var sampledIn = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("legacy.test", null, SpfResult.Fail, null) { PercentageSample = 10 }, DmarcDiscoveryMode.Psl);
        Assert.Equal(DmarcDisposition.Reject, sampledIn.Disposition);
    }

    [Fact]
    public async Task Temporary_failures_give_temperror()
    {
        var spfTemp = await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput("example.work", "example.work", SpfResult.TempError, null));
        Assert.Equal(DmarcResult.TempError, spfTemp.Result);
        Assert.Equal(DmarcDisposition.None, spfTemp.Disposition);
        var dkimTemp = await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput("example.work", null, SpfResult.Fail, null) { DkimTempError = true });
        Assert.Equal(DmarcResult.TempError, dkimTemp.Result);
        var dns = Zone().AddFailure("_dmarc.example.work", DnsErrorKind.ServerFailure);
        var discovery = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("example.work", "example.work", SpfResult.Pass, null));
        Assert.Equal(DmarcResult.TempError, discovery.Result);
    }

    [Fact]
    public async Task No_policy_is_none_and_unusable_policy_is_permerror()
    {
        Assert.Equal(DmarcResult.None, (await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput("nopolicy.test", null, SpfResult.Fail, null))).Result);
        Assert.Equal(DmarcResult.PermError, (await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput("bad.test", null, SpfResult.Fail, null))).Result);
        Assert.Equal(DmarcResult.PermError, (await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput("not a domain", null, SpfResult.Fail, null))).Result);
    }

    [Fact]
    public async Task P_none_fails_with_no_disposition()
    {
        var r = await new DmarcEvaluator(Zone()).EvaluateAsync(new DmarcEvaluationInput("none.test", "other.test", SpfResult.Pass, null));
        Assert.Equal(DmarcResult.Fail, r.Result);
        Assert.Equal(DmarcDisposition.None, r.Disposition);
        Assert.NotNull(r.SpfAlignment);
    }
}
