using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using MailAuth.AuthenticationResults;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.MessageAuthentication;
using MailAuth.Spf;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.MessageAuthentication;

[Collection(KnotDnsCollection.Name)]
public sealed class MessageAuthenticatorTests
{
    private readonly KnotDnsServer _dns;

    public MessageAuthenticatorTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    public static IEnumerable<object[]> Configurations() => SeedConfiguration.Load().Select(c => new object[] { c.Name });

    private Task<MessageAuthenticationResult> Authenticate(byte[] message, string clientIP, string mailFrom, string helo = null) =>
        new MessageAuthenticator(_dns.CreateResolver()).AuthenticateAsync(message,
            new MessageAuthenticationOptions { ClientIP = IPAddress.Parse(clientIP), MailFrom = mailFrom, Helo = helo, AuthServId = "mx.mailauth.test" });

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Seed_000_configuration_gets_gmails_verdict(string name)
    {
        var c = SeedConfiguration.Get(name);
        var result = await Authenticate(c.BuildMessage(), c.ClientIP, c.ReturnPath ? null : c.MailFrom);

        Assert.Equal("mail.kktkht94.work", result.HeaderFromDomain);
        Assert.Equal(c.ReturnPath ? MailFromSource.ReturnPath : MailFromSource.Parameter, result.MailFromSource);
        Assert.Equal(c.ExpectSpf, result.SpfResult.ToString().ToLowerInvariant());
        Assert.Equal(c.ExpectDmarc, result.DmarcResult.ToString().ToLowerInvariant());
        Assert.Equal(c.ExpectSpfAligned, result.SpfAligned);
        Assert.Equal(c.ExpectDkimAligned, result.DkimAligned);
        Assert.Equal(DmarcDisposition.None, result.Disposition);
        Assert.Equal("mail.kktkht94.work", result.Dmarc.RecordDomain);
        Assert.Equal(DmarcPolicy.None, result.Dmarc.AppliedPolicy);
        Assert.All(result.Dkim.Where(d => d.Domain != null), d => Assert.Equal(DkimResult.Pass, d.Result));
        Assert.Equal(c.Sign.Count, result.Dkim.Count(d => d.Domain != null));

        // The header the receiver adds reads back with the parser and carries the same verdicts.
        var header = AuthenticationResultsParser.Parse(result.AuthenticationResults);
        Assert.Equal("mx.mailauth.test", header.AuthServId);
        var methods = header.Results.Select(r => r.Method + "=" + r.Result).ToList();
        Assert.Equal(result.DmarcResult.ToString().ToLowerInvariant(), header.Find("dmarc").Result);
        Assert.Equal("mail.kktkht94.work", header.Find("dmarc").Properties["header.from"]);
        Assert.Equal(c.MailFrom, header.Find("spf").Properties["smtp.mailfrom"]);

        var gmail = c.GmailHeader;
        if (gmail == null)
        {
            Assert.Equal(c.ExpectMethods, string.Join(" ", methods));
            return;
        }
        // Same verdicts as Gmail: the same method=result list, the same DKIM identities, the same MAIL FROM domain.
        Assert.Equal(gmail.Expected, methods);
        var gmailHeader = AuthenticationResultsParser.Parse(gmail.Field);
        Assert.Equal(gmailHeader.FindAll("dkim").Select(r => r.Properties["header.i"]), header.FindAll("dkim").Select(r => r.Properties["header.i"]));
        Assert.Equal(gmailHeader.Find("spf").Properties["smtp.mailfrom"].Split('@')[1], header.Find("spf").Properties["smtp.mailfrom"].Split('@')[1]);
        Assert.Equal(gmailHeader.Find("dmarc").Comment, header.Find("dmarc").Comment);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Seed_000_configuration_gets_the_same_verdict_in_legacy_psl_mode(string name)
    {
        var c = SeedConfiguration.Get(name);
        var result = await new MessageAuthenticator(_dns.CreateResolver()).AuthenticateAsync(c.BuildMessage(),
            new MessageAuthenticationOptions
            {
                ClientIP = IPAddress.Parse(c.ClientIP),
                MailFrom = c.ReturnPath ? null : c.MailFrom,
                DiscoveryMode = DmarcDiscoveryMode.Psl,
            });
        Assert.Equal(DmarcDiscoveryMode.Psl, result.Dmarc.DiscoveryMode);
        Assert.Equal(c.ExpectDmarc, result.DmarcResult.ToString().ToLowerInvariant());
        Assert.Equal(c.ExpectSpfAligned, result.SpfAligned);
        Assert.Equal(c.ExpectDkimAligned, result.DkimAligned);
    }

    [Fact]
    public async Task Altered_body_fails_dkim_and_then_dmarc_without_aligned_spf()
    {
        var c = SeedConfiguration.Get("own_domain_dkim_added_passes");
        var text = Encoding.ASCII.GetString(c.BuildMessage()).Replace("This is a test message", "This is a CHANGED message");
        var result = await Authenticate(Encoding.ASCII.GetBytes(text), c.ClientIP, c.MailFrom);
        Assert.All(result.Dkim, d => Assert.Equal(DkimResult.Fail, d.Result));
        Assert.Equal(DmarcResult.Fail, result.DmarcResult);
        var header = AuthenticationResultsParser.Parse(result.AuthenticationResults);
        Assert.Equal(new[] { "fail", "fail" }, header.FindAll("dkim").Select(r => r.Result));
        Assert.All(header.FindAll("dkim"), r => Assert.NotNull(r.Comment));
    }

    [Fact]
    public async Task Client_outside_ses_ranges_softfails_spf()
    {
        var c = SeedConfiguration.Get("own_dkim_off_custom_mail_from_on_passes_by_relaxed_spf_alignment");
        var result = await Authenticate(c.BuildMessage(), "198.51.100.7", c.MailFrom);
        Assert.Equal(SpfResult.SoftFail, result.SpfResult);
        Assert.False(result.SpfAligned);
        Assert.Equal(DmarcResult.Fail, result.DmarcResult);
        Assert.Equal("softfail", AuthenticationResultsParser.Parse(result.AuthenticationResults).Find("spf").Result);
    }

    [Fact]
    public async Task Message_without_from_is_dmarc_none_not_an_exception()
    {
        var message = Encoding.ASCII.GetBytes("To: someone@gmail.com\r\nSubject: no author\r\n\r\nBody.\r\n");
        var result = await Authenticate(message, "23.251.234.8", "bounce@ap-northeast-1.amazonses.com");
        Assert.Equal(HeaderFromStatus.Missing, result.HeaderFromStatus);
        Assert.Equal(DmarcResult.None, result.DmarcResult);
        Assert.Null(result.Dmarc);
        Assert.Contains("no From field", result.DmarcReason);
        var dmarc = AuthenticationResultsParser.Parse(result.AuthenticationResults).Find("dmarc");
        Assert.Equal("none", dmarc.Result);
        Assert.Null(dmarc.Properties["header.from"]);
    }

    [Theory]
    [InlineData("From: a@mail.kktkht94.work\r\nFrom: b@example.com\r\n")]
    [InlineData("From: a@mail.kktkht94.work, b@example.com\r\n")]
    public async Task Several_author_domains_are_dmarc_permerror(string from)
    {
        var message = Encoding.ASCII.GetBytes(from + "Subject: two authors\r\n\r\nBody.\r\n");
        var result = await Authenticate(message, "23.251.234.8", "bounce@ap-northeast-1.amazonses.com");
        Assert.Equal(HeaderFromStatus.Multiple, result.HeaderFromStatus);
        Assert.Equal(DmarcResult.PermError, result.DmarcResult);
        Assert.Equal("permerror", AuthenticationResultsParser.Parse(result.AuthenticationResults).Find("dmarc").Result);
    }

    [Fact]
    public async Task Two_mailboxes_of_one_domain_are_evaluated_for_that_domain()
    {
        var message = Encoding.ASCII.GetBytes("From: a@mail.kktkht94.work, b@MAIL.kktkht94.work\r\nSubject: x\r\n\r\nBody.\r\n");
        var result = await Authenticate(message, "23.251.234.8", "bounce@spf.mail.kktkht94.work");
        Assert.Equal(HeaderFromStatus.Single, result.HeaderFromStatus);
        Assert.Equal(DmarcResult.Pass, result.DmarcResult);
    }

    [Fact]
    public async Task Null_reverse_path_checks_the_helo_identity()
    {
        var message = Encoding.ASCII.GetBytes("Return-Path: <>\r\nFrom: a@mail.kktkht94.work\r\nSubject: bounce\r\n\r\nBody.\r\n");
        var result = await Authenticate(message, "23.251.234.8", null, "spf.mail.kktkht94.work");
        Assert.Equal(MailFromSource.Helo, result.MailFromSource);
        Assert.Equal(SpfResult.Pass, result.SpfResult);
        Assert.Equal("spf.mail.kktkht94.work", AuthenticationResultsParser.Parse(result.AuthenticationResults).Find("spf").Properties["smtp.helo"]);
        Assert.Equal(DmarcResult.Pass, result.DmarcResult);
    }

    [Theory]
    [InlineData("own.dmarc.test", "Reject", "p=REJECT sp=QUARANTINE dis=REJECT")]
    [InlineData("exists.own.dmarc.test", "Quarantine", "p=REJECT sp=QUARANTINE dis=QUARANTINE")]
    [InlineData("ghost.own.dmarc.test", "Reject", "p=REJECT sp=QUARANTINE dis=REJECT")]
    [InlineData("testing.dmarc.test", "Quarantine", "p=REJECT sp=REJECT dis=QUARANTINE")] // t=y: one level below (RFC 9989 §4.7)
    public async Task Failing_message_gets_the_policy_disposition_in_the_header(string fromDomain, string disposition, string comment)
    {
        // Unsigned, and MAIL FROM on SES's domain: DMARC fails for the From domains of the DMARC area's zone.
        var message = Encoding.ASCII.GetBytes($"From: a@{fromDomain}\r\nSubject: x\r\n\r\nBody.\r\n");
        var result = await Authenticate(message, "23.251.234.8", "bounce@ap-northeast-1.amazonses.com");
        Assert.Equal(DmarcResult.Fail, result.DmarcResult);
        Assert.Equal(disposition, result.Disposition.ToString());
        var dmarc = AuthenticationResultsParser.Parse(result.AuthenticationResults).Find("dmarc");
        Assert.Equal("fail", dmarc.Result);
        Assert.Equal(comment, dmarc.Comment);
    }

    [Fact]
    public async Task Dns_failure_is_temperror_not_a_missing_record()
    {
        var message = Encoding.ASCII.GetBytes("From: a@broken.test\r\nSubject: x\r\n\r\nBody.\r\n");
        var result = await Authenticate(message, "23.251.234.8", "bounce@broken.test");
        Assert.Equal(SpfResult.TempError, result.SpfResult);
        Assert.Equal(DmarcResult.TempError, result.DmarcResult);
    }
}
