using System.IO;
using System.Linq;
using MailAuth.Common;
using MailAuth.Ses;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Ses;

public sealed class SesRecordBuilderTests
{
    private static readonly string[] SeedTokens = { "aaa", "bbb", "ccc" };

    [Fact]
    public void Builders_reproduce_the_six_records_of_seed_002()
    {
        var expected = File.ReadAllLines(RepositoryPaths.DataFile("ses", "seed-002-records.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith("#"))
            .Select(l => l.Split('\t'))
            .Select(p => (Type: p[0], Name: p[1], Value: p[2]))
            .ToList();

        var records = SesDkimRecordBuilder.EasyDkim("domainname.com", SeedTokens, "us-east-1")
            .Concat(SesMailFromConfigBuilder.Build("domainname.com", "mail.domainname.com", "us-east-1").Records)
            .Concat(SesDnsRecordTable.Build("domainname.com", null, "us-east-1", null, null, "none").Where(r => r.Name.StartsWith("_dmarc")))
            .Select(r => (r.Type, r.Name, Value: r.Type == "MX" ? r.Priority + " " + r.Value : r.Type == "TXT" ? "\"" + r.Value + "\"" : r.Value))
            .ToList();

        Assert.Equal(expected, records);
    }

    [Theory]
    [InlineData("us-east-1", "dkim.amazonses.com")]
    [InlineData("ap-northeast-1", "dkim.amazonses.com")]
    [InlineData("eu-west-1", "dkim.amazonses.com")]
    [InlineData("af-south-1", "dkim.af-south-1.amazonses.com")]
    [InlineData("ap-northeast-3", "dkim.ap-northeast-3.amazonses.com")]
    [InlineData("ap-south-2", "dkim.ap-south-2.amazonses.com")]
    [InlineData("ap-southeast-3", "dkim.ap-southeast-3.amazonses.com")]
    [InlineData("ap-southeast-5", "dkim.ap-southeast-5.amazonses.com")]
    [InlineData("ca-west-1", "dkim.ca-west-1.amazonses.com")]
    [InlineData("eu-central-2", "dkim.eu-central-2.amazonses.com")]
    [InlineData("eu-south-1", "dkim.eu-south-1.amazonses.com")]
    [InlineData("il-central-1", "dkim.il-central-1.amazonses.com")]
    [InlineData("me-central-1", "dkim.me-central-1.amazonses.com")]
    [InlineData("us-gov-east-1", "dkim.us-gov-east-1.amazonses.com")]
    public void Easy_dkim_cname_points_into_the_regions_hosted_zone(string region, string zone)
    {
        var records = SesDkimRecordBuilder.EasyDkim("Example.COM.", SeedTokens, region);
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal("CNAME", r.Type));
        Assert.Equal("aaa._domainkey.example.com", records[0].Name);
        Assert.Equal("aaa." + zone, records[0].Value);
    }

    [Fact]
    public void Signing_hosted_zone_from_the_api_wins_over_the_region()
    {
        var records = SesDkimRecordBuilder.EasyDkim("example.com", SeedTokens, "us-east-1", "dkim.eu-south-1.amazonses.com");
        Assert.Equal("bbb.dkim.eu-south-1.amazonses.com", records[1].Value);
    }

    [Theory]
    [InlineData("has.dot", SesDkimToken.InvalidTokenErrorId)]
    [InlineData("bad token", SesDkimToken.InvalidTokenErrorId)]
    [InlineData("", SesDkimToken.InvalidTokenErrorId)]
    [InlineData("-leadinghyphen", SesDkimToken.InvalidTokenErrorId)]
    public void Malformed_token_is_rejected_with_a_stable_error_id(string token, string errorId)
    {
        var ex = Assert.Throws<MailAuthInputException>(() => SesDkimRecordBuilder.EasyDkim("example.com", new[] { "aaa", "bbb", token }, "us-east-1"));
        Assert.Equal(errorId, ex.ErrorId);
    }

    [Fact]
    public void Two_tokens_or_repeated_tokens_are_rejected()
    {
        Assert.Equal(SesDkimToken.TokenCountErrorId, Assert.Throws<MailAuthInputException>(() => SesDkimToken.Validate(new[] { "aaa", "bbb" })).ErrorId);
        Assert.Equal(SesDkimToken.TokenCountErrorId, Assert.Throws<MailAuthInputException>(() => SesDkimToken.Validate(new[] { "aaa", "aaa", "bbb" })).ErrorId);
    }

    [Theory]
    [InlineData("us-east-9")]
    [InlineData("useast1")]
    [InlineData("")]
    public void Unknown_region_is_rejected(string region)
    {
        var ex = Assert.Throws<MailAuthInputException>(() => SesMailFromConfigBuilder.Build("example.com", "mail.example.com", region));
        Assert.Equal(SesRegion.UnknownRegionErrorId, ex.ErrorId);
    }

    [Theory]
    [InlineData("mail.example.org", SesMailFromConfig.MailFromOutsideIdentityErrorId)]
    [InlineData("notexample.com", SesMailFromConfig.MailFromOutsideIdentityErrorId)]
    [InlineData("example.com", SesMailFromConfig.MailFromIsIdentityErrorId)]
    [InlineData("bad domain", "InvalidDomainName")]
    public void Mail_from_domain_must_be_a_subdomain_of_the_identity(string mailFrom, string errorId)
    {
        var ex = Assert.Throws<MailAuthInputException>(() => SesMailFromConfigBuilder.Build("example.com", mailFrom, "us-east-1"));
        Assert.Equal(errorId, ex.ErrorId);
    }

    [Theory]
    [InlineData("bad selector")]
    [InlineData("a..b")]
    [InlineData("-leading-hyphen")]
    [InlineData("")]
    public void Byodkim_selector_that_is_not_a_dns_label_is_rejected(string selector)
    {
        var ex = Assert.Throws<MailAuthInputException>(() => SesDkimRecordBuilder.BringYourOwnDkim("example.com", selector, "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"));
        Assert.Equal(SesDkimRecordBuilder.InvalidSelectorErrorId, ex.ErrorId);
    }

    [Fact]
    public void Malformed_signing_hosted_zone_is_rejected_with_a_stable_error_id()
    {
        var ex = Assert.Throws<MailAuthInputException>(() => SesDkimRecordBuilder.EasyDkim("example.com", SeedTokens, "us-east-1", "dkim..amazonses.com"));
        Assert.Equal(SesDkimRecordBuilder.InvalidHostedZoneErrorId, ex.ErrorId);
        Assert.Contains("-SigningHostedZone", ex.Message);
    }

    [Fact]
    public void Record_table_refuses_an_unknown_dmarc_policy_and_builds_nothing()
    {
        var ex = Assert.Throws<MailAuthInputException>(() => SesDnsRecordTable.Build("example.com", SeedTokens, "us-east-1", "mail.example.com", null, "monitor"));
        Assert.Equal(SesDnsRecordTable.InvalidDmarcPolicyErrorId, ex.ErrorId);
        Assert.Contains("none, quarantine or reject", ex.Message);
    }

    [Fact]
    public void Negative_ttl_for_a_dmarc_record_is_rejected_with_a_stable_error_id()
    {
        var builder = new MailAuth.Dmarc.DmarcRecordBuilder { Domain = "example.com", Policy = MailAuth.Dmarc.DmarcPolicy.None, Ttl = -1 };
        var ex = Assert.Throws<MailAuthInputException>(() => builder.Build(out _));
        Assert.Equal(MailAuth.Dmarc.DmarcRecordBuilder.InvalidTtlErrorId, ex.ErrorId);
    }

    [Fact]
    public void Mail_from_config_gives_relaxed_alignment_and_warns_about_mail_and_mx()
    {
        var config = SesMailFromConfigBuilder.Build("user@Example.com", "bounce.example.com", "ap-northeast-1", SesBehaviorOnMxFailure.RejectMessage);
        Assert.Equal("example.com", config.Identity);
        Assert.Equal("Relaxed", config.SpfAlignment);
        Assert.Equal("REJECT_MESSAGE", config.BehaviorOnMxFailureApiValue);
        Assert.Equal("feedback-smtp.ap-northeast-1.amazonses.com", config.MxRecord.Value);
        Assert.Equal(10, config.MxRecord.Priority);
        Assert.Equal("v=spf1 include:amazonses.com ~all", config.SpfRecord.Value);
        Assert.Contains(config.Findings, f => f.Code == "SesMailFromMustNotReceiveMail");
        Assert.Contains(config.Findings, f => f.Code == "SesMailFromSingleMx");
        Assert.Contains(config.Findings, f => f.Code == "SesMailFromSpfAlignsRelaxed");
    }

    [Fact]
    public void Mail_from_equal_to_the_from_domain_aligns_strictly()
    {
        var config = SesMailFromConfigBuilder.Build("example.com", "news.example.com", "us-east-1", fromDomain: "news.example.com");
        Assert.Equal("Strict", config.SpfAlignment);
        Assert.Contains(config.Findings, f => f.Code == "SesMailFromSpfAlignsStrict");
    }

    [Fact]
    public void Mail_from_unrelated_to_the_from_domain_is_a_warning_that_spf_will_not_align()
    {
        var config = SesMailFromConfigBuilder.Build("example.com", "mail.example.com", "us-east-1", fromDomain: "other.example.net");
        Assert.Equal("None", config.SpfAlignment);
        var f = Assert.Single(config.Findings, x => x.Code == "SesMailFromSpfDoesNotAlign");
        Assert.Equal(MailAuth.Common.FindingSeverity.Warning, f.Severity);
        Assert.Contains("other.example.net", f.Message);
    }

    [Fact]
    public void Byodkim_builds_the_key_record_from_pem()
    {
        var b64 = System.Convert.ToBase64String(Enumerable.Range(0, 162).Select(i => (byte)i).ToArray());
        var pem = "-----BEGIN PUBLIC KEY-----\n" + b64.Substring(0, 64) + "\n" + b64.Substring(64) + "\n-----END PUBLIC KEY-----\n";
        var record = SesDkimRecordBuilder.BringYourOwnDkim("example.com", "sel2024", pem);
        Assert.Equal("sel2024._domainkey.example.com", record.Name);
        Assert.Equal("TXT", record.Type);
        Assert.Equal("v=DKIM1; k=rsa; p=" + b64, record.Value);
        Assert.Equal(SesDkimRecordBuilder.InvalidPublicKeyErrorId,
            Assert.Throws<MailAuthInputException>(() => SesDkimRecordBuilder.BringYourOwnDkim("example.com", "s", "not base64!")).ErrorId);
    }

    [Fact]
    public void Bad_input_in_the_table_builds_nothing()
    {
        // The DKIM part is fine, the MAIL FROM is not: nothing is returned at all.
        var ex = Assert.Throws<MailAuthInputException>(() => SesDnsRecordTable.Build("example.com", SeedTokens, "us-east-1", "mail.example.org"));
        Assert.Equal(SesMailFromConfig.MailFromOutsideIdentityErrorId, ex.ErrorId);
    }
}
