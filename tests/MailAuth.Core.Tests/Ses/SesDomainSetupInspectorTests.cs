using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Ses;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Ses;

[Collection(KnotDnsCollection.Name)]
public sealed class SesDomainSetupInspectorTests
{
    private static readonly string[] Tokens = { "eogp72tvvmnugysm4vjttzghjnmzww36", "zh4gjftm6etwoq6afzugpky45synznly", "224i4yxa5dv7c2xz3womw6peuasteono" };
    private readonly KnotDnsServer _dns;

    public SesDomainSetupInspectorTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private Task<SesDomainSetupResult> Inspect(string identity, string mailFrom = "mail", string region = "us-east-1", string zone = null) =>
        new SesDomainSetupInspector(_dns.CreateResolver()).InspectAsync(new SesDomainSetupRequest
        {
            Identity = identity,
            Region = region,
            Tokens = Tokens,
            SigningHostedZone = zone,
            MailFromDomain = mailFrom == null ? null : mailFrom + "." + identity,
        });

    [Fact]
    public async Task Complete_setup_is_all_ok_and_dmarc_passes_on_both()
    {
        var result = await Inspect("ses-ok.test");
        Assert.Equal(6, result.Records.Count);
        Assert.All(result.Records, r => Assert.Equal(SesRecordCheckStatus.Ok, r.Status));
        var v = result.Verdict;
        Assert.True(v.SpfPass);
        Assert.True(v.SpfAligned);
        Assert.Equal("mail.ses-ok.test", v.SpfDomain);
        Assert.True(v.DkimAligned);
        Assert.Equal(DmarcResult.Pass, v.DmarcResult);
        Assert.Equal("quarantine", v.DmarcPolicy);
        Assert.Empty(v.Changes);
        Assert.Equal(SesDomainVerdictStatus.Ok, v.Status);
    }

    [Fact]
    public async Task Seed_003_without_custom_mail_from_spf_passes_but_does_not_align_and_dmarc_rests_on_dkim()
    {
        var result = await Inspect("nomailfrom.ses-ok.test", mailFrom: null, region: "ap-northeast-1");
        var v = result.Verdict;
        Assert.True(v.SpfPass);
        Assert.False(v.SpfAligned);
        Assert.Equal("ap-northeast-1.amazonses.com", v.SpfDomain);
        Assert.True(v.DkimPass);
        Assert.True(v.DkimAligned);
        Assert.Equal("nomailfrom.ses-ok.test", v.DkimDomain);
        Assert.Equal(DmarcResult.Pass, v.DmarcResult);
        Assert.Contains(v.Findings, f => f.Code == "SesDmarcRestsOnDkim");
        Assert.Contains(v.Findings, f => f.Code == "SesSpfNotAligned");
        Assert.Equal(4, result.Records.Count); // three CNAMEs and DMARC; no MAIL FROM rows
        Assert.Equal(SesDomainVerdictStatus.Warning, v.Status); // passes, but SPF does not align
    }

    [Fact]
    public async Task Regional_hosted_zone_is_expected_in_regions_that_have_one()
    {
        var result = await Inspect("osaka.ses-ok.test", region: "ap-northeast-3");
        Assert.All(result.Records, r => Assert.Equal(SesRecordCheckStatus.Ok, r.Status));
        Assert.Equal(DmarcResult.Pass, result.Verdict.DmarcResult);
    }

    [Fact]
    public async Task Missing_cname_is_flagged_and_dkim_no_longer_aligns()
    {
        var result = await Inspect("missingcname.ses-broken.test");
        var row = Assert.Single(result.Records, r => r.Status != SesRecordCheckStatus.Ok);
        Assert.Equal(SesRecordCheckStatus.Missing, row.Status);
        Assert.Equal("224i4yxa5dv7c2xz3womw6peuasteono._domainkey.missingcname.ses-broken.test", row.Name);
        Assert.False(result.Verdict.DkimAligned);
        Assert.Equal(DmarcResult.Pass, result.Verdict.DmarcResult); // the custom MAIL FROM still aligns
        var add = Assert.Single(result.Verdict.Changes);
        Assert.Equal(MailAuth.Publishing.DnsChangeAction.Add, add.Action);
        Assert.Equal("224i4yxa5dv7c2xz3womw6peuasteono.dkim.amazonses.com", add.NewValue);
    }

    [Fact]
    public async Task Wrong_cname_target_is_a_mismatch()
    {
        var result = await Inspect("wrongcname.ses-broken.test");
        var row = Assert.Single(result.Records, r => r.Status != SesRecordCheckStatus.Ok);
        Assert.Equal(SesRecordCheckStatus.Mismatch, row.Status);
        Assert.Equal("224i4yxa5dv7c2xz3womw6peuasteono.dkim.amazonses.com.wrongcname.ses-broken.test", row.Found);
    }

    [Fact]
    public async Task Cname_into_another_regions_hosted_zone_is_named_as_such()
    {
        var result = await Inspect("wrongregion.ses-broken.test");
        var rows = result.Records.Where(r => r.Type == "CNAME").ToList();
        Assert.All(rows, r => Assert.Equal(SesRecordCheckStatus.Mismatch, r.Status));
        Assert.All(rows, r => Assert.Contains("another region", r.Message));
        Assert.Contains("dkim.eu-south-1.amazonses.com", rows[0].Message);
    }

    [Fact]
    public async Task Api_hosted_zone_makes_the_other_regions_cnames_right()
    {
        var result = await Inspect("wrongregion.ses-broken.test", zone: "dkim.eu-south-1.amazonses.com");
        Assert.All(result.Records.Where(r => r.Type == "CNAME"), r => Assert.Equal(SesRecordCheckStatus.Ok, r.Status));
    }

    [Fact]
    public async Task Two_mx_records_on_the_mail_from_domain_are_a_conflict()
    {
        var result = await Inspect("twomx.ses-broken.test");
        var row = Assert.Single(result.Records, r => r.Status != SesRecordCheckStatus.Ok);
        Assert.Equal(SesRecordCheckStatus.Conflict, row.Status);
        Assert.Equal("MX", row.Type);
        Assert.Contains("mx.mailbox.example", row.Found);
        Assert.False(result.Verdict.SpfAligned); // SES falls back to amazonses.com
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesMailFromFallsBack");
    }

    [Fact]
    public async Task Mx_of_another_region_is_a_mismatch()
    {
        var result = await Inspect("mxwrongregion.ses-broken.test");
        var mx = Assert.Single(result.Records, r => r.Type == "MX");
        Assert.Equal(SesRecordCheckStatus.Mismatch, mx.Status);
        Assert.Contains("eu-west-1", mx.Message);
    }

    [Fact]
    public async Task Spf_without_amazonses_include_is_a_mismatch_and_spf_fails()
    {
        var result = await Inspect("nospfinclude.ses-broken.test");
        var row = Assert.Single(result.Records, r => r.Status != SesRecordCheckStatus.Ok);
        Assert.Equal(SesRecordCheckStatus.Mismatch, row.Status);
        Assert.Equal("TXT", row.Type);
        Assert.False(result.Verdict.SpfPass);
        Assert.True(result.Verdict.DkimAligned);
        Assert.Equal(DmarcResult.Pass, result.Verdict.DmarcResult);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesMailFromSpfFails");
    }

    [Fact]
    public async Task Wrong_mx_with_reject_on_mx_failure_means_ses_refuses_to_send()
    {
        var result = await new SesDomainSetupInspector(_dns.CreateResolver()).InspectAsync(new SesDomainSetupRequest
        {
            Identity = "mxwrongregion.ses-broken.test", Region = "us-east-1", Tokens = Tokens,
            MailFromDomain = "mail.mxwrongregion.ses-broken.test", BehaviorOnMxFailure = SesBehaviorOnMxFailure.RejectMessage,
        });
        var f = Assert.Single(result.Verdict.Findings, x => x.Code == "SesMailFromRejects");
        Assert.Equal(SesDomainVerdictStatus.Fail, result.Verdict.Status);
        Assert.Equal(MailAuth.Common.FindingSeverity.Error, f.Severity);
        Assert.False(result.Verdict.SpfPass);
        Assert.DoesNotContain(result.Verdict.Findings, x => x.Code == "SesMailFromFallsBack");
    }

    [Fact]
    public async Task Without_tokens_dkim_is_not_checked_and_only_the_amazonses_signature_counts()
    {
        var result = await new SesDomainSetupInspector(_dns.CreateResolver()).InspectAsync(new SesDomainSetupRequest
        {
            Identity = "ses-ok.test", Region = "us-east-1", MailFromDomain = "mail.ses-ok.test",
        });
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesDkimNotChecked");
        Assert.False(result.Verdict.DkimAligned);
        Assert.True(result.Verdict.SpfAligned); // the custom MAIL FROM still carries DMARC
        Assert.Equal(DmarcResult.Pass, result.Verdict.DmarcResult);
    }

    [Fact]
    public async Task Neither_identifier_aligned_is_a_dmarc_fail_finding()
    {
        // Tokens the zone does not publish (DKIM d= the domain is impossible) and an MX of another region (SES falls back to its own MAIL FROM).
        var result = await new SesDomainSetupInspector(_dns.CreateResolver()).InspectAsync(new SesDomainSetupRequest
        {
            Identity = "mxwrongregion.ses-broken.test", Region = "us-east-1",
            Tokens = new[] { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccccccccccc" },
            MailFromDomain = "mail.mxwrongregion.ses-broken.test",
        });
        Assert.Equal(DmarcResult.Fail, result.Verdict.DmarcResult);
        var f = Assert.Single(result.Verdict.Findings, x => x.Code == "SesDmarcFails");
        Assert.Contains("p=quarantine", f.Message);
    }

    [Fact]
    public async Task Key_lookup_failure_behind_a_right_cname_is_reported_as_such()
    {
        var resolver = new InMemoryResolver();
        foreach (var token in Tokens)
            resolver.AddCname(token + "._domainkey.keyfail.example", token + ".dkim.amazonses.com")
                .AddFailure(token + ".dkim.amazonses.com", DnsErrorKind.ServerFailure);
        resolver.AddTxt("_dmarc.keyfail.example", "v=DMARC1; p=none");
        var result = await new SesDomainSetupInspector(resolver).InspectAsync(new SesDomainSetupRequest
        {
            Identity = "keyfail.example", Region = "us-east-1", Tokens = Tokens,
        });
        Assert.All(result.Records.Where(r => r.Type == "CNAME"), r => Assert.Equal(SesRecordCheckStatus.Ok, r.Status));
        Assert.Equal(3, result.Verdict.Findings.Count(f => f.Code == "SesDkimKeyLookupFailed"));
        Assert.DoesNotContain(result.Verdict.Findings, f => f.Code == "SesDkimKeyNotFound");
    }

    [Fact]
    public async Task Second_spf_record_is_a_conflict()
    {
        var result = await Inspect("twospf.ses-broken.test");
        var row = Assert.Single(result.Records, r => r.Status != SesRecordCheckStatus.Ok);
        Assert.Equal(SesRecordCheckStatus.Conflict, row.Status);
        Assert.Contains("RFC 7208 §4.5", row.Message);
    }

    [Fact]
    public async Task No_dmarc_record_is_missing_and_the_result_is_none()
    {
        var result = await Inspect("nodmarc.ses-broken.test");
        var row = Assert.Single(result.Records, r => r.Status != SesRecordCheckStatus.Ok);
        Assert.Equal(SesRecordCheckStatus.Missing, row.Status);
        Assert.Equal("_dmarc.nodmarc.ses-broken.test", row.Name);
        Assert.Equal(DmarcResult.None, result.Verdict.DmarcResult);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesDmarcMissing");
    }

    [Fact]
    public async Task Txt_record_where_a_cname_belongs_is_a_mismatch()
    {
        var result = await Inspect("txtdkim.ses-broken.test", mailFrom: null);
        var row = Assert.Single(result.Records, r => r.Status != SesRecordCheckStatus.Ok);
        Assert.Equal(SesRecordCheckStatus.Mismatch, row.Status);
        Assert.StartsWith("TXT ", row.Found);
    }

    [Fact]
    public async Task Server_failure_is_an_error_never_missing()
    {
        var result = await new SesDomainSetupInspector(_dns.CreateResolver()).InspectAsync(new SesDomainSetupRequest
        {
            Identity = "broken.test", Region = "us-east-1", Tokens = Tokens, MailFromDomain = "mail.broken.test",
        });
        Assert.All(result.Records, r => Assert.Equal(SesRecordCheckStatus.Error, r.Status));
        Assert.All(result.Records, r => Assert.NotEqual(DnsErrorKind.None, r.ErrorKind));
        Assert.Equal(DmarcResult.TempError, result.Verdict.DmarcResult);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesMailFromLookupFailed");
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesDkimLookupFailed");
        Assert.DoesNotContain(result.Verdict.Findings, f => f.Code == "SesMailFromFallsBack" || f.Code == "SesDkimNotAligned");
    }

    [Fact]
    public async Task Strict_spf_alignment_with_a_subdomain_mail_from_never_aligns()
    {
        var resolver = new InMemoryResolver()
            .AddCname(Tokens[0] + "._domainkey.strict.example", Tokens[0] + ".dkim.amazonses.com")
            .AddMx("mail.strict.example", 10, "feedback-smtp.us-east-1.amazonses.com")
            .AddTxt("mail.strict.example", "v=spf1 include:amazonses.com ~all")
            .AddTxt("_dmarc.strict.example", "v=DMARC1; p=reject; aspf=s");
        var result = await new SesDomainSetupInspector(resolver).InspectAsync(new SesDomainSetupRequest
        {
            Identity = "strict.example", Region = "us-east-1", Tokens = Tokens, MailFromDomain = "mail.strict.example",
        });
        Assert.True(result.Verdict.SpfPass);
        Assert.False(result.Verdict.SpfAligned);
        Assert.False(result.Verdict.DkimAligned); // two CNAMEs are missing
        Assert.Equal(DmarcResult.Fail, result.Verdict.DmarcResult);
        Assert.Equal(DmarcDisposition.Reject, result.Verdict.Disposition);
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesSpfStrictAlignment");
        Assert.Contains(result.Verdict.Findings, f => f.Code == "SesDmarcFails");
    }

    [Fact]
    public async Task Keys_behind_right_cnames_are_looked_up_and_a_missing_one_is_a_warning()
    {
        var result = await Inspect("osaka.ses-ok.test", region: "ap-northeast-3");
        var found = result.Verdict.Findings.Where(f => f.Code == "SesDkimKeyFound").ToList();
        Assert.Equal(2, found.Count);
        Assert.Contains("2048 bits", found[0].Message);
        var missing = Assert.Single(result.Verdict.Findings, f => f.Code == "SesDkimKeyNotFound");
        Assert.StartsWith("224i4yxa5dv7c2xz3womw6peuasteono._domainkey.osaka.ses-ok.test", missing.Subject);
        Assert.All(result.Records, r => Assert.Equal(SesRecordCheckStatus.Ok, r.Status)); // the CNAMEs themselves are right
    }
}
