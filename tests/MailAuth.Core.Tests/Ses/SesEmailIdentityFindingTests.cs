using System.Linq;
using MailAuth.Common;
using MailAuth.Ses;
using Xunit;

namespace MailAuth.Tests.Ses;

/// <summary>
/// The findings Get-SesEmailIdentity adds to a GetEmailIdentity response, one state of the identity per case.
/// The bodies follow botocore's sesv2 GetEmailIdentityResponse; the signed HTTP path is tested in SesV2ClientTests.
/// </summary>
public sealed class SesEmailIdentityFindingTests
{
    private const string VerifiedWithMailFrom =
        "\"VerifiedForSendingStatus\": true, \"VerificationStatus\": \"SUCCESS\", " +
        "\"MailFromAttributes\": {\"MailFromDomain\": \"mail.example.com\", \"MailFromDomainStatus\": \"SUCCESS\", \"BehaviorOnMxFailure\": \"USE_DEFAULT_VALUE\"}";

    private static SesEmailIdentity Read(string body) =>
        SesEmailIdentityReader.Read("example.com", "us-east-1", "{\"IdentityType\": \"DOMAIN\", " + body + "}");

    private static string Dkim(string status, bool signing = true) =>
        $"\"DkimAttributes\": {{\"SigningEnabled\": {(signing ? "true" : "false")}, \"Status\": \"{status}\", \"Tokens\": [\"a\", \"b\", \"c\"]}}";

    [Fact]
    public void Fully_set_up_identity_has_no_warnings_or_errors()
    {
        var identity = Read(VerifiedWithMailFrom + ", " + Dkim("SUCCESS"));
        Assert.DoesNotContain(identity.Findings, f => f.Severity != FindingSeverity.Info);
    }

    [Theory]
    [InlineData("TEMPORARY_FAILURE", "SesDkimTemporaryFailure", FindingSeverity.Warning)]
    [InlineData("FAILED", "SesDkimFailed", FindingSeverity.Error)]
    [InlineData("PENDING", "SesDkimPending", FindingSeverity.Info)]
    public void Dkim_status_gives_its_finding(string status, string code, FindingSeverity severity)
    {
        var identity = Read(VerifiedWithMailFrom + ", " + Dkim(status));
        var f = Assert.Single(identity.Findings, x => x.Code == code);
        Assert.Equal(severity, f.Severity);
        Assert.Equal("example.com", f.Subject);
    }

    [Fact]
    public void Signing_disabled_warns_that_only_amazonses_signs()
    {
        var identity = Read(VerifiedWithMailFrom + ", " + Dkim("SUCCESS", signing: false));
        var f = Assert.Single(identity.Findings, x => x.Code == "SesDkimSigningDisabled");
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Contains("amazonses.com", f.Message);
    }

    [Fact]
    public void Unverified_identity_is_an_error_naming_the_verification_error()
    {
        var identity = Read("\"VerifiedForSendingStatus\": false, \"VerificationStatus\": \"FAILED\", " +
            "\"VerificationInfo\": {\"ErrorType\": \"DNS_SERVER_ERROR\"}, " + Dkim("FAILED"));
        var f = Assert.Single(identity.Findings, x => x.Code == "SesIdentityNotVerified");
        Assert.Equal(FindingSeverity.Error, f.Severity);
        Assert.Contains("DNS_SERVER_ERROR", f.Message);
    }

    [Fact]
    public void No_custom_mail_from_says_dmarc_rests_on_dkim()
    {
        var identity = Read("\"VerifiedForSendingStatus\": true, \"VerificationStatus\": \"SUCCESS\", " + Dkim("SUCCESS"));
        var f = Assert.Single(identity.Findings, x => x.Code == "SesNoCustomMailFrom");
        Assert.Equal(FindingSeverity.Info, f.Severity);
        Assert.Null(identity.MailFrom);
    }

    [Theory]
    [InlineData("USE_DEFAULT_VALUE", "amazonses.com MAIL FROM")]
    [InlineData("REJECT_MESSAGE", "rejects your messages")]
    public void Mail_from_not_ready_says_what_ses_does_meanwhile(string behavior, string consequence)
    {
        var identity = Read("\"VerifiedForSendingStatus\": true, \"VerificationStatus\": \"SUCCESS\", " + Dkim("SUCCESS") + ", " +
            $"\"MailFromAttributes\": {{\"MailFromDomain\": \"mail.example.com\", \"MailFromDomainStatus\": \"PENDING\", \"BehaviorOnMxFailure\": \"{behavior}\"}}");
        var f = Assert.Single(identity.Findings, x => x.Code == "SesMailFromNotReady");
        Assert.Equal("mail.example.com", f.Subject);
        Assert.Contains(consequence, f.Message);
    }
}
