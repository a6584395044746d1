using System;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.Ses;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Ses;

/// <summary>
/// An SES endpoint that misbehaves (issue 13 items 6, 7, 8 and 13): nothing is sent to another origin,
/// nothing signed goes out in clear text, every unexpected answer is an SesEndpointError, and no
/// credential the server echoes reaches the error message.
/// </summary>
[Collection(SesTestServerCollection.Name)]
public sealed class SesHostileEndpointTests
{
    private readonly SesTestServer _server;

    public SesHostileEndpointTests(SesTestServerFixture fixture) => _server = fixture.Server;

    private SesV2Client Client(string profile = "ses-test") => new SesV2Client(new SesClientOptions
    {
        Region = SesTestServer.Region,
        ProfileName = profile,
        EndpointUrl = new Uri(_server.EndpointUrl),
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
    });

    [Fact]
    public async Task Redirect_to_another_origin_is_an_endpoint_error_and_nothing_reaches_it()
    {
        using var other = new SesTestServer();
        using var client = Client();
        var identity = $"redirect-{other.Port}.example";

        var get = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync(identity));
        Assert.Equal(SesApiException.EndpointErrorId, get.ErrorId);
        Assert.Equal(307, get.StatusCode);
        Assert.Contains("307", get.Message);
        Assert.Contains("redirect", get.Message);

        var put = await Assert.ThrowsAsync<SesApiException>(() => client.PutEmailIdentityMailFromAttributesAsync(identity, "bounce.example", SesBehaviorOnMxFailure.UseDefaultValue));
        Assert.Equal(SesApiException.EndpointErrorId, put.ErrorId);
        Assert.Empty(other.Requests);
    }

    [Theory]
    [InlineData("html.example", "text/html")]
    [InlineData("truncated.example", "application/json")]
    [InlineData("array.example", "application/json")]
    public async Task Unexpected_body_is_an_endpoint_error_naming_status_and_content_type_and_the_next_identity_reads(string identity, string contentType)
    {
        using var client = Client();
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync(identity));
        Assert.Equal(SesApiException.EndpointErrorId, ex.ErrorId);
        Assert.Equal(200, ex.StatusCode);
        Assert.Contains("HTTP 200", ex.Message);
        Assert.Contains(contentType, ex.Message);

        var next = await client.GetEmailIdentityAsync("ses-ok.test");
        Assert.Equal("SUCCESS", next.Dkim.Status);
    }

    [Fact]
    public async Task Error_page_from_a_proxy_is_an_endpoint_error_naming_status_and_content_type()
    {
        using var client = Client();
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("htmlerror.example"));
        Assert.Equal(SesApiException.EndpointErrorId, ex.ErrorId);
        Assert.Equal(502, ex.StatusCode);
        Assert.Contains("HTTP 502", ex.Message);
        Assert.Contains("text/html", ex.Message);
    }

    [Fact]
    public async Task Response_body_is_capped()
    {
        // 4 MiB against the default cap of 1 MiB (a GetEmailIdentity answer is a few kilobytes).
        using var client = Client();
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("huge-4.example"));
        Assert.Equal(SesApiException.EndpointErrorId, ex.ErrorId);
        Assert.Contains("1,048,576", ex.Message);
        Assert.Equal("SUCCESS", (await client.GetEmailIdentityAsync("ses-ok.test")).Dkim.Status);
    }

    [Fact]
    public async Task Server_text_echoing_the_request_headers_is_redacted()
    {
        // A proxy that puts the request's headers into its error: the session token, key id and signature must not reach $Error.
        using var client = Client("ses-expired");
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("echo.example"));
        Assert.Equal(SesApiException.EndpointErrorId, ex.ErrorId);
        Assert.Contains("Your headers", ex.Message); // the server's text is still there, only its secrets are not
        Assert.DoesNotContain(SesTestServer.ExpiredSessionToken, ex.ToString());
        Assert.DoesNotContain(SesTestServer.ExpiredAccessKey, ex.ToString());
        Assert.DoesNotContain("DoNotLeak", ex.ToString());
        Assert.DoesNotContain("Signature=", ex.Message.Replace("Signature=[redacted]", string.Empty));
        Assert.Contains("[redacted]", ex.Message);
    }

    [Fact]
    public async Task Error_type_echoing_the_session_token_is_redacted_in_the_log_and_the_error()
    {
        var log = new System.Collections.Generic.List<string>();
        using var client = new SesV2Client(new SesClientOptions
        {
            Region = SesTestServer.Region, ProfileName = "ses-expired", EndpointUrl = new Uri(_server.EndpointUrl),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxRetries = 1, Log = l => { lock (log) log.Add(l); },
        });
        var ex = await Assert.ThrowsAsync<SesApiException>(() => client.GetEmailIdentityAsync("echotype.example"));
        Assert.Contains(log, l => l.Contains("retrying"));
        foreach (var text in log.Append(ex.ToString()).Append(ex.AwsErrorType))
        {
            Assert.DoesNotContain(SesTestServer.ExpiredSessionToken, text);
            Assert.DoesNotContain("DoNotLeak", text);
        }
    }

    [Theory]
    [InlineData("key AKIAIOSFODNN7EXAMPLE was used", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("key ASIAY34FZKBOKMUTVV7A was used", "ASIAY34FZKBOKMUTVV7A")]
    [InlineData("Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ses/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", "5d672d79c15b")]
    [InlineData("X-Amz-Security-Token: IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD; x-amz-date: 20260101T000000Z", "IQoJb3JpZ2lu")]
    [InlineData("https://email.us-east-1.amazonaws.com/?X-Amz-Signature=abc123def456&X-Amz-Security-Token=FwoGZXIvYXdzEBYaDH", "abc123def456")]
    [InlineData("token FwoGZXIvYXdzEBYaDHhvbm9zdG9yZXhhbXBsZSKBAW", "FwoGZXIvYXdz")]
    [InlineData("secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in the text", "wJalrXUtnFEMI")]
    public void Redaction_removes_what_looks_like_a_credential_or_signature(string text, string secret)
    {
        var redacted = SesSecretRedactor.Redact(text);
        Assert.DoesNotContain(secret, redacted);
        Assert.Contains("[redacted]", redacted);
    }

    [Fact]
    public void Redaction_keeps_ordinary_text()
    {
        const string text = "Email identity example.com does not exist. RequestId 6f1c3b0e-55e4-4d5b-9a4e-2f6f0a1b2c3d.";
        Assert.Equal(text, SesSecretRedactor.Redact(text));
    }

    [Theory]
    [InlineData("{\"DkimAttributes\":{\"Tokens\":[1,null,\"abc\"],\"Status\":\"SUCCESS\"}}")]
    [InlineData("{\"DkimAttributes\":{\"LastKeyGenerationTimestamp\":1e300}}")]
    [InlineData("{\"VerificationInfo\":{\"LastCheckedTimestamp\":-1e19}}")]
    public void Identity_members_of_an_unexpected_kind_read_as_absent(string json)
    {
        var identity = SesEmailIdentityReader.Read("example.com", SesTestServer.Region, json);
        Assert.Equal("example.com", identity.Identity);
        Assert.All(identity.Dkim?.Tokens ?? Array.Empty<string>(), t => Assert.Equal("abc", t));
        Assert.Null(identity.Dkim?.LastKeyGenerationTimestamp);
    }

    [Theory]
    [InlineData("http://192.0.2.10/")]
    [InlineData("http://email.us-east-1.amazonaws.com/")]
    [InlineData("http://10.0.0.5:8080/")]
    public void Plain_http_to_a_host_that_is_not_loopback_is_refused_before_anything_is_sent(string url)
    {
        var ex = Assert.Throws<MailAuthInputException>(() => new SesV2Client(new SesClientOptions { Region = SesTestServer.Region, EndpointUrl = new Uri(url) }));
        Assert.Equal(SesV2Client.InsecureEndpointErrorId, ex.ErrorId);
        Assert.Equal("SesInsecureEndpoint", ex.ErrorId);
        Assert.Contains("https", ex.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://localhost:8080/")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("https://vpce-0123.email.us-east-1.vpce.amazonaws.com/")]
    public void Https_or_loopback_endpoints_are_accepted(string url)
    {
        using var client = new SesV2Client(new SesClientOptions { Region = SesTestServer.Region, EndpointUrl = new Uri(url) });
        Assert.Equal(SesTestServer.Region, client.Region);
    }
}
