using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// A local stand-in for the SES v2 endpoint (HttpListener on 127.0.0.1:&lt;free port&gt;). It checks
/// every request's AWS Signature Version 4 (<see cref="SigV4Verifier"/>) against the known test keys,
/// then answers with the recorded responses in tests/data/ses/responses/ (shaped per botocore's sesv2
/// service-2.json): get-&lt;identity&gt;.json, or NotFoundException.
/// Special cases: identities starting with "accessdenied" get AccessDeniedException (HTTP 403);
/// identities starting with "throttled" get TooManyRequestsException twice, then the
/// answer of their name without the prefix; "badrequest" gets BadRequestException; the expired
/// test key gets ExpiredTokenException.
/// Hostile endpoints (issue 13), also chosen by the identity's first label: "redirect-&lt;port&gt;" answers
/// 307 to the same path on 127.0.0.1:&lt;port&gt; (another origin); "html" answers 200 with a text/html page;
/// "htmlerror" 502 with a text/html page; "truncated" 200 with JSON cut short; "array" 200 with a JSON array; "huge-&lt;MiB&gt;" 200 with a JSON
/// object of that many MiB; "echo" answers 400, before any signature check, with every request header
/// echoed in the message, as a misconfigured proxy does; "echotype" answers 503 with the request's session
/// token in its X-Amzn-ErrorType header.
/// Each request is answered for the region it is signed for (any SES region): get-&lt;identity&gt;@&lt;region&gt;.json when
/// the identity has such files (an identity in several regions: NotFoundException in the others), else get-&lt;identity&gt;.json.
/// Identities whose first label is "dkim-&lt;state&gt;" or "dkim-&lt;state&gt;-mailfrom-&lt;state&gt;" (states pending, success,
/// failed, temporary-failure, not-started) get a verified-or-not identity in those DKIM and MAIL FROM states
/// (MAIL FROM mail.&lt;identity&gt;), with the three test tokens. <see cref="SetIdentity"/> replaces an answer while running.
/// </summary>
public sealed class SesTestServer : LoopbackHttpServer
{
    public const string AccessKey = "AKIDMAILAUTHTEST0001";
    public const string SecretKey = "mailauth/Test+Secret/DoNotLeak0123456789xyz";
    public const string ExpiredAccessKey = "ASIAMAILAUTHEXPIRED1";
    public const string ExpiredSecretKey = "expired/Secret+DoNotLeak9876543210abc";
    public const string ExpiredSessionToken = "FwoGZXIvYXdzEXPIREDTOKENDoNotLeak";
    public const string Region = "us-east-1";

    /// <summary>Temporary credentials that the container and instance metadata endpoints hand out (AwsCredentialEndpoint).</summary>
    public const string RoleAccessKey = "ASIAMAILAUTHROLE0001";
    public const string RoleSecretKey = "role/Secret+DoNotLeak5555555555def";
    public const string RoleSessionToken = "IQoJb3JpZ2luROLETOKENDoNotLeak";

    /// <summary>Temporary credentials that the STS stand-in hands out for an assume-role profile (AwsCredentialEndpoint).</summary>
    public const string AssumedRoleAccessKey = "ASIAMAILAUTHASSUMED1";
    public const string AssumedRoleSecretKey = "assumed/Secret+DoNotLeak7777777777ghi";
    public const string AssumedRoleSessionToken = "IQoJb3JpZ2luASSUMEDTOKENDoNotLeak";

    /// <summary>Temporary credentials that the SSO portal stand-in hands out for an SSO profile (AwsCredentialEndpoint).</summary>
    public const string SsoAccessKey = "ASIAMAILAUTHSSOROLE1";
    public const string SsoSecretKey = "sso/Secret+DoNotLeak8888888888jkl";
    public const string SsoSessionToken = "IQoJb3JpZ2luSSOTOKENDoNotLeak";

    /// <summary>Every key the server accepts, with the session token temporary credentials must send.</summary>
    public static readonly IReadOnlyDictionary<string, SigV4Verifier.Key> KnownKeys = new Dictionary<string, SigV4Verifier.Key>
    {
        [AccessKey] = new SigV4Verifier.Key(SecretKey),
        [ExpiredAccessKey] = new SigV4Verifier.Key(ExpiredSecretKey, ExpiredSessionToken),
        [RoleAccessKey] = new SigV4Verifier.Key(RoleSecretKey, RoleSessionToken),
        [AssumedRoleAccessKey] = new SigV4Verifier.Key(AssumedRoleSecretKey, AssumedRoleSessionToken),
        [SsoAccessKey] = new SigV4Verifier.Key(SsoSecretKey, SsoSessionToken),
    };

    /// <summary>A second region the server also answers for, to show that each request is signed for the region it names.</summary>
    public const string SecondRegion = "eu-west-1";

    private readonly ConcurrentDictionary<string, int> _throttleCounts = new ConcurrentDictionary<string, int>();
    private readonly ConcurrentDictionary<string, string> _identities = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every region the server accepts signatures for: each region SES sends from.</summary>
    public static readonly IReadOnlyList<string> Regions = MailAuth.Ses.SesRegion.All.Select(r => r.Name).ToList();

    /// <summary>
    /// From now on answers GetEmailIdentity for <paramref name="identity"/> in <paramref name="region"/> (null: every region)
    /// with <paramref name="json"/>; null json removes the override. For tests that follow an identity through its states.
    /// </summary>
    public void SetIdentity(string identity, string region, string json)
    {
        var key = identity + "@" + (region ?? "*");
        if (json == null) _identities.TryRemove(key, out _);
        else _identities[key] = json;
    }

    /// <summary>A GetEmailIdentity answer in the given DKIM and MAIL FROM states (API spellings, e.g. PENDING, NOT_STARTED; null mailFromStatus: no custom MAIL FROM).</summary>
    public static string IdentityJson(string identity, string dkimStatus, string mailFromStatus = null, string keyLength = "RSA_2048_BIT", double lastKeyGeneration = 1732320000,
        string mailFromDomain = null)
    {
        var verified = dkimStatus == "SUCCESS" ? "true" : "false";
        var mailFrom = mailFromStatus == null
            ? "{\"BehaviorOnMxFailure\":\"USE_DEFAULT_VALUE\"}"
            : "{\"MailFromDomain\":\"" + (mailFromDomain ?? "mail." + identity) + "\",\"MailFromDomainStatus\":\"" + mailFromStatus + "\",\"BehaviorOnMxFailure\":\"USE_DEFAULT_VALUE\"}";
        return "{\"IdentityType\":\"DOMAIN\",\"FeedbackForwardingStatus\":true,\"VerifiedForSendingStatus\":" + verified +
            ",\"DkimAttributes\":{\"SigningEnabled\":true,\"Status\":\"" + dkimStatus + "\",\"Tokens\":[\"eogp72tvvmnugysm4vjttzghjnmzww36\",\"zh4gjftm6etwoq6afzugpky45synznly\",\"224i4yxa5dv7c2xz3womw6peuasteono\"]," +
            "\"SigningHostedZone\":\"dkim.amazonses.com\",\"SigningAttributesOrigin\":\"AWS_SES\",\"NextSigningKeyLength\":\"" + keyLength + "\",\"CurrentSigningKeyLength\":\"" + keyLength +
            "\",\"LastKeyGenerationTimestamp\":" + lastKeyGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}," +
            "\"MailFromAttributes\":" + mailFrom + ",\"Policies\":{},\"Tags\":[],\"VerificationStatus\":\"" + dkimStatus + "\"}";
    }

    /// <summary>
    /// Adds an identity that SES itself would verify by looking at the DNS, as the real service does: its DKIM status is
    /// SUCCESS once the three Easy DKIM CNAMEs (&lt;token&gt;._domainkey.&lt;identity&gt; to &lt;token&gt;.dkim.amazonses.com) resolve through
    /// <paramref name="dns"/>, PENDING before; a PutEmailIdentityMailFromAttributes sets its MAIL FROM domain, whose status is
    /// SUCCESS once that domain's MX is feedback-smtp.&lt;region&gt;.amazonses.com and PENDING before. <paramref name="dnsServer"/> is the
    /// server to ask, as -Server takes it (e.g. 127.0.0.1:5353); the stand-in asks it afresh each time, with no cache.
    /// </summary>
    public void AddVerifyingIdentity(string identity, string region, string dnsServer)
    {
        var options = new MailAuth.Dns.DnsResolverOptions { Servers = new[] { MailAuth.Dns.DnsServerEndpoint.Parse(dnsServer) } };
        _verifying[identity + "@" + region] = new VerifyingIdentity { Dns = new MailAuth.Dns.StubResolver(options), Region = region };
    }

    private sealed class VerifyingIdentity
    {
        public MailAuth.Dns.IDnsResolver Dns;
        public string Region;
        public string MailFromDomain;
    }

    private readonly ConcurrentDictionary<string, VerifyingIdentity> _verifying = new ConcurrentDictionary<string, VerifyingIdentity>();

    private static readonly string[] TestTokens = { "eogp72tvvmnugysm4vjttzghjnmzww36", "zh4gjftm6etwoq6afzugpky45synznly", "224i4yxa5dv7c2xz3womw6peuasteono" };

    /// <summary>What GetEmailIdentity says now about a verifying identity, after looking at the DNS.</summary>
    private static string VerifiedAnswer(string identity, VerifyingIdentity state)
    {
        bool dkim = TestTokens.All(token =>
        {
            var answer = state.Dns.QueryAsync(token + "._domainkey." + identity, MailAuth.Dns.DnsRecordType.CNAME).GetAwaiter().GetResult();
            return answer.Records.Any(r => string.Equals(r.Target?.TrimEnd('.'), token + ".dkim.amazonses.com", StringComparison.OrdinalIgnoreCase));
        });
        string mailFromStatus = null;
        if (state.MailFromDomain != null)
        {
            var mx = state.Dns.QueryAsync(state.MailFromDomain, MailAuth.Dns.DnsRecordType.MX).GetAwaiter().GetResult();
            mailFromStatus = mx.Records.Any(r => string.Equals(r.Target?.TrimEnd('.'), "feedback-smtp." + state.Region + ".amazonses.com", StringComparison.OrdinalIgnoreCase))
                ? "SUCCESS" : "PENDING";
        }
        return IdentityJson(identity, dkim ? "SUCCESS" : "PENDING", mailFromStatus, mailFromDomain: state.MailFromDomain);
    }

    private static readonly System.Text.RegularExpressions.Regex StateLabel = new System.Text.RegularExpressions.Regex(
        "^dkim-(pending|success|failed|temporary-failure|not-started)(?:-mailfrom-(pending|success|failed|temporary-failure))?$");

    /// <summary>The answer for <paramref name="identity"/> in <paramref name="region"/>, or null (NotFoundException).</summary>
    private string IdentityAnswer(string identity, string region)
    {
        if (_verifying.TryGetValue(identity + "@" + region, out var verifying)) return VerifiedAnswer(identity, verifying);
        if (_identities.TryGetValue(identity + "@" + region, out var json) || _identities.TryGetValue(identity + "@*", out json)) return json;
        var state = StateLabel.Match(identity.Split('.')[0]);
        if (state.Success)
            return IdentityJson(identity, state.Groups[1].Value.Replace('-', '_').ToUpperInvariant(),
                state.Groups[2].Success ? state.Groups[2].Value.Replace('-', '_').ToUpperInvariant() : null);
        var regional = RepositoryPaths.DataFile("ses", "responses", "get-" + identity + "@" + region + ".json");
        if (File.Exists(regional)) return File.ReadAllText(regional);
        var directory = Path.GetDirectoryName(regional);
        if (Directory.Exists(directory) && Directory.EnumerateFiles(directory, "get-" + identity + "@*.json").Any()) return null;
        var file = RepositoryPaths.DataFile("ses", "responses", "get-" + identity + ".json");
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    /// <summary>Writes a shared credentials file with profiles ses-test, ses-expired and ses-wrong-secret.</summary>
    public static string WriteCredentialsFile(string directory)
    {
        var path = Path.Combine(directory, "credentials");
        File.WriteAllText(path,
            "[ses-test]\naws_access_key_id = " + AccessKey + "\naws_secret_access_key = " + SecretKey + "\n\n" +
            "[ses-expired]\naws_access_key_id = " + ExpiredAccessKey + "\naws_secret_access_key = " + ExpiredSecretKey + "\naws_session_token = " + ExpiredSessionToken + "\n\n" +
            "[ses-wrong-secret]\naws_access_key_id = " + AccessKey + "\naws_secret_access_key = not-the-right-secret-DoNotLeak\n");
        return path;
    }

    protected override void Fail(HttpListenerContext ctx, Exception ex) => Respond(ctx, 500, "InternalFailure", ex.Message);

    protected override void Handle(HttpListenerContext ctx)
    {
        var req = ctx.Request;
        var path = req.RawUrl.Split('?')[0];
        var received = Record(req, path, out var body);

        if (Hostile(ctx, path, received)) return;

        var problem = Verify(req, body, "ses", Regions, received);
        var accessKey = received.AccessKey;
        var signingRegion = received.SigningRegion;
        if (problem != null) { received.Status = 403; Respond(ctx, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided."); return; }
        if (accessKey == ExpiredAccessKey) { received.Status = 403; Respond(ctx, 403, "ExpiredTokenException", "The security token included in the request is expired"); return; }

        const string prefix = "/v2/email/identities/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) { received.Status = 404; Respond(ctx, 404, "NotFoundException", "Unknown operation"); return; }
        var rest = path.Substring(prefix.Length);
        var identity = Uri.UnescapeDataString(rest.Split('/')[0]);

        if (identity.StartsWith("throttled", StringComparison.Ordinal))
        {
            var n = _throttleCounts.AddOrUpdate(identity, 1, (_, c) => c + 1);
            if (n <= 2) { received.Status = 429; Respond(ctx, 429, "TooManyRequestsException", "Too many requests"); return; }
            identity = identity.Substring("throttled.".Length);
        }
        if (identity.StartsWith("alwaysthrottled", StringComparison.Ordinal)) { received.Status = 429; Respond(ctx, 429, "TooManyRequestsException", "Too many requests"); return; }
        if (identity.StartsWith("badrequest", StringComparison.Ordinal)) { received.Status = 400; Respond(ctx, 400, "BadRequestException", "Invalid identity"); return; }
        if (identity.StartsWith("accessdenied", StringComparison.Ordinal)) { received.Status = 403; Respond(ctx, 403, "AccessDeniedException", "User is not authorized to perform: ses:GetEmailIdentity"); return; }

        var answer = IdentityAnswer(identity, signingRegion);
        if (answer == null) { received.Status = 404; Respond(ctx, 404, "NotFoundException", $"Email identity {identity} does not exist."); return; }

        if (req.HttpMethod == "GET" && !rest.Contains("/")) { received.Status = 200; Write(ctx, 200, answer); return; }
        if (req.HttpMethod == "PUT" && rest.EndsWith("/mail-from", StringComparison.Ordinal))
        {
            if (_verifying.TryGetValue(identity + "@" + signingRegion, out var state))
            {
                using var json = System.Text.Json.JsonDocument.Parse(body);
                state.MailFromDomain = json.RootElement.TryGetProperty("MailFromDomain", out var domain) && domain.GetString() is string d && d.Length > 0 ? d : null;
            }
            received.Status = 200;
            Write(ctx, 200, "{}");
            return;
        }
        received.Status = 404;
        Respond(ctx, 404, "NotFoundException", "Unknown operation");
    }

    private static bool Hostile(HttpListenerContext ctx, string path, ReceivedRequest received)
    {
        const string prefix = "/v2/email/identities/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var identity = Uri.UnescapeDataString(path.Substring(prefix.Length).Split('/')[0]);
        var label = identity.Split('.')[0];
        if (label.StartsWith("redirect-", StringComparison.Ordinal))
        {
            received.Status = 307;
            ctx.Response.StatusCode = 307;
            ctx.Response.RedirectLocation = $"http://127.0.0.1:{label.Substring("redirect-".Length)}/v2/email/identities/ses-ok.test";
            ctx.Response.Close();
            return true;
        }
        if (label == "htmlerror") { received.Status = 502; Write(ctx, 502, "<html><body>Bad Gateway</body></html>", "text/html"); return true; }
        if (label == "html") { received.Status = 200; Write(ctx, 200, "<html><body>Sign in to the network</body></html>", "text/html; charset=utf-8"); return true; }
        if (label == "truncated") { received.Status = 200; Write(ctx, 200, "{\"IdentityType\":\"DOMAIN\",\"DkimAttributes\":{\"Sig"); return true; }
        if (label == "array") { received.Status = 200; Write(ctx, 200, "[{\"IdentityType\":\"DOMAIN\"}]"); return true; }
        if (label.StartsWith("huge-", StringComparison.Ordinal))
        {
            received.Status = 200;
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            ctx.Response.SendChunked = true;
            var start = Encoding.UTF8.GetBytes("{\"IdentityType\":\"DOMAIN\",\"Padding\":\"");
            var block = Encoding.UTF8.GetBytes(new string('x', 1024 * 1024));
            try
            {
                ctx.Response.OutputStream.Write(start, 0, start.Length);
                for (int i = 0; i < int.Parse(label.Substring("huge-".Length)); i++) ctx.Response.OutputStream.Write(block, 0, block.Length);
                var end = Encoding.UTF8.GetBytes("\"}");
                ctx.Response.OutputStream.Write(end, 0, end.Length);
                ctx.Response.Close();
            }
            catch (HttpListenerException) { } // the client stopped reading
            catch (IOException) { }
            return true;
        }
        if (label == "echotype")
        {
            received.Status = 503;
            ctx.Response.Headers["X-Amzn-ErrorType"] = "ServiceUnavailable " + ctx.Request.Headers["X-Amz-Security-Token"];
            Write(ctx, 503, "{}");
            return true;
        }
        if (label == "echo")
        {
            received.Status = 400;
            var headers = string.Join("; ", ctx.Request.Headers.AllKeys.Select(k => k + ": " + ctx.Request.Headers[k]));
            ctx.Response.StatusCode = 400;
            Write(ctx, 400, "{\"message\":\"Bad request from proxy. Your headers: " + headers.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"}");
            return true;
        }
        return false;
    }

    private static void Respond(HttpListenerContext ctx, int status, string type, string message)
    {
        ctx.Response.Headers["X-Amzn-ErrorType"] = type + ":http://internal.amazon.com/coral/com.amazonaws.sesv2/";
        Write(ctx, status, "{\"message\":\"" + message + "\"}");
    }

    private static void Write(HttpListenerContext ctx, int status, string json, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        ctx.Response.ContentLength64 = bytes.Length;
        ctx.Response.OutputStream.Write(bytes, 0, bytes.Length);
        ctx.Response.Close();
    }
}

/// <summary>
/// One SES test server and a temporary shared-credentials file for a test collection. The AWS
/// environment variables point AWSSDK.Core at that file (and away from any real ~/.aws).
/// </summary>
public sealed class SesTestServerFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mailauth-ses-").FullName;

    public SesTestServerFixture()
    {
        CredentialsFile = SesTestServer.WriteCredentialsFile(_dir);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(_dir, "config"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Server = new SesTestServer();
    }

    public SesTestServer Server { get; }
    public string CredentialsFile { get; }

    public void Dispose()
    {
        Server.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

[Xunit.CollectionDefinition(Name)]
public sealed class SesTestServerCollection : Xunit.ICollectionFixture<SesTestServerFixture>
{
    public const string Name = "SES test server";
}
