using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Ses;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Ses;

[Collection(SesTestServerCollection.Name)]
public sealed class SesV2ClientTests
{
    private readonly SesTestServer _server;

    public SesV2ClientTests(SesTestServerFixture fixture) => _server = fixture.Server;

    private SesV2Client Client(string profile, List<string> log = null) => new SesV2Client(new SesClientOptions
    {
        Region = SesTestServer.Region,
        ProfileName = profile,
        EndpointUrl = new Uri(_server.EndpointUrl),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        Log = log == null ? null : (Action<string>)(l => { lock (log) log.Add(l); }),
    });

    [Fact]
    public async Task Get_email_identity_is_signed_and_read_per_the_model()
    {
        using var client = Client("ses-test");
        var identity = await client.GetEmailIdentityAsync("ses-ok.test");

        Assert.Equal("DOMAIN", identity.IdentityType);
        Assert.True(identity.VerifiedForSendingStatus);
        Assert.Equal("SUCCESS", identity.Dkim.Status);
        Assert.Equal(3, identity.Dkim.Tokens.Count);
        Assert.Equal("dkim.amazonses.com", identity.Dkim.SigningHostedZone);
        Assert.Equal("RSA_2048_BIT", identity.Dkim.CurrentSigningKeyLength);
        Assert.Equal(new DateTimeOffset(2023, 8, 14, 3, 10, 3, TimeSpan.Zero), identity.Dkim.LastKeyGenerationTimestamp);
        Assert.Equal("mail.ses-ok.test", identity.MailFrom.MailFromDomain);
        Assert.Equal("USE_DEFAULT_VALUE", identity.MailFrom.BehaviorOnMxFailure);
        var request = _server.Requests.Last(r => r.Path == "/v2/email/identities/ses-ok.test");
        Assert.True(request.SignatureValid, request.SignatureProblem);
        Assert.Equal("GET", request.Method);
    }

    [Fact]
    public async Task Dkim_pending_is_waiting_not_failure()
    {
        using var client = Client("ses-test");
        var identity = await client.GetEmailIdentityAsync("pending.ses-ok.test");
        Assert.True(identity.Dkim.IsWaiting);
        Assert.Null(identity.MailFrom);
        Assert.Equal("HOST_NOT_FOUND", identity.VerificationInfo.ErrorType);
        var pending = Assert.Single(identity.Findings, f => f.Code == "SesDkimPending");
        Assert.Equal(MailAuth.Common.FindingSeverity.Info, pending.Severity);
        Assert.DoesNotContain(identity.Findings, f => f.Code == "SesDkimFailed");
    }

    [Fact]
    public async Task Put_mail_from_sends_the_model_body_signed()
    {
        using var client = Client("ses-test");
        await client.PutEmailIdentityMailFromAttributesAsync("ses-ok.test", "bounce.ses-ok.test", SesBehaviorOnMxFailure.RejectMessage);
        var request = _server.Requests.Last(r => r.Method == "PUT");
        Assert.True(request.SignatureValid, request.SignatureProblem);
        Assert.Equal("/v2/email/identities/ses-ok.test/mail-from", request.Path);
        Assert.Equal("{\"MailFromDomain\":\"bounce.ses-ok.test\",\"BehaviorOnMxFailure\":\"REJECT_MESSAGE\"}", request.Body);
    }

    [Fact]
    public async Task Email_address_identity_path_is_encoded_and_still_verifies()
    {
        using var client = Client("ses-test");
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("someone+tag@ses-ok.test"));
        Assert.Equal(SesApiException.IdentityNotFoundErrorId, ex.ErrorId);
        var request = _server.Requests.Last(r => r.Path.Contains("someone"));
        Assert.Equal("/v2/email/identities/someone%2Btag%40ses-ok.test", request.Path);
        Assert.True(request.SignatureValid, request.SignatureProblem);
    }

    [Theory]
    [InlineData("unknown.example", SesApiException.IdentityNotFoundErrorId, "NotFoundException", "unknown.example")]
    [InlineData("accessdenied.example", SesApiException.AccessDeniedErrorId, "AccessDeniedException", "permission")] // not taken for rejected credentials
    public async Task Api_error_is_a_clear_error_of_its_own_kind(string identity, string errorId, string awsErrorType, string messagePart)
    {
        using var client = Client("ses-test");
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync(identity));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(awsErrorType, ex.AwsErrorType);
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public async Task Throttling_is_retried_with_backoff()
    {
        var log = new List<string>();
        using var client = Client("ses-test", log);
        var identity = await client.GetEmailIdentityAsync("throttled.ses-ok.test");
        Assert.Equal("SUCCESS", identity.Dkim.Status);
        Assert.Equal(3, _server.Requests.Count(r => r.Path.EndsWith("/throttled.ses-ok.test")));
        Assert.Equal(2, log.Count(l => l.Contains("retrying")));
    }

    [Fact]
    public async Task Throttling_that_never_stops_ends_in_a_throttled_error()
    {
        using var client = Client("ses-test");
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("alwaysthrottled.example"));
        Assert.Equal(SesApiException.ThrottledErrorId, ex.ErrorId);
        Assert.Equal(5, _server.Requests.Count(r => r.Path.EndsWith("/alwaysthrottled.example")));
    }

    [Fact]
    public async Task Bad_request_is_a_clear_error()
    {
        using var client = Client("ses-test");
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("badrequest.example"));
        Assert.Equal(SesApiException.BadRequestErrorId, ex.ErrorId);
    }

    [Fact]
    public async Task Unreachable_endpoint_is_an_endpoint_error_not_a_missing_identity()
    {
        var port = LoopbackPort.FreeTcpPort(); // nothing listens there: the connection is refused
        using var client = new SesV2Client(new SesClientOptions
        {
            Region = SesTestServer.Region, ProfileName = "ses-test", EndpointUrl = new Uri($"http://127.0.0.1:{port}"),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        });
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("ses-ok.test"));
        Assert.Equal(SesApiException.EndpointErrorId, ex.ErrorId);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }

    [Theory]
    [InlineData("ses-expired", "ExpiredTokenException")]
    [InlineData("ses-wrong-secret", "InvalidSignatureException")]
    public async Task Rejected_credentials_are_reported_without_the_secret(string profile, string awsError)
    {
        var log = new List<string>();
        using var client = Client(profile, log);
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("ses-ok.test"));
        Assert.Equal(SesApiException.CredentialsRejectedErrorId, ex.ErrorId);
        Assert.Equal(awsError, ex.AwsErrorType);
        foreach (var text in log.Append(ex.ToString()))
        {
            Assert.DoesNotContain(SesTestServer.SecretKey, text);
            Assert.DoesNotContain(SesTestServer.ExpiredSecretKey, text);
            Assert.DoesNotContain(SesTestServer.ExpiredSessionToken, text);
            Assert.DoesNotContain("DoNotLeak", text);
            Assert.DoesNotContain(SesTestServer.AccessKey, text);
        }
    }

    [Fact]
    public async Task Missing_profile_is_a_credentials_error()
    {
        using var client = Client("no-such-profile");
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("ses-ok.test"));
        Assert.Equal(SesApiException.CredentialsNotFoundErrorId, ex.ErrorId);
    }

    [Fact]
    public void Unknown_region_is_rejected_before_any_request()
    {
        var before = _server.Requests.Count;
        var ex = Assert.Throws<MailAuth.Common.MailAuthInputException>(() => new SesV2Client(new SesClientOptions { Region = "mars-north-1", EndpointUrl = new Uri(_server.EndpointUrl) }));
        Assert.Equal(SesRegion.UnknownRegionErrorId, ex.ErrorId);
        Assert.Equal(before, _server.Requests.Count);
    }

    [Fact]
    public void Default_endpoint_comes_from_the_region()
    {
        using var client = new SesV2Client(new SesClientOptions { Region = "ap-northeast-1", ProfileName = "ses-test" });
        Assert.Equal("ap-northeast-1", client.Region);
    }
}
