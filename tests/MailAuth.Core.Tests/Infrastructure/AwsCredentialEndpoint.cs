using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// The HTTP credential sources of AWSSDK.Core's chain, on loopback:
/// <list type="bullet">
/// <item>the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN,
/// as ECS and EKS Pod Identity serve it) and the EC2 instance metadata service (IMDSv2: a PUT for a session token,
/// then the role name and the role's credentials; AWS_EC2_METADATA_SERVICE_ENDPOINT points the SDK here), both
/// handing out <see cref="SesTestServer.RoleAccessKey"/> with its secret and session token;</item>
/// <item>STS AssumeRole (POST / with Action=AssumeRole, query protocol; AWS_ENDPOINT_URL_STS points the SDK here): the
/// call must be SigV4-signed for "sts" with the source profile's key (<see cref="SesTestServer.AccessKey"/>) and name
/// <see cref="AssumeRoleArn"/>; the answer is tests/data/aws/sts-assume-role-response.xml with
/// <see cref="SesTestServer.AssumedRoleAccessKey"/>;</item>
/// <item>the IAM Identity Center (SSO) portal's GetRoleCredentials (GET /federation/credentials with the
/// x-amz-sso_bearer_token header; AWS_ENDPOINT_URL_SSO): for <see cref="SsoAccessToken"/>, account
/// <see cref="SsoAccountId"/> and role <see cref="SsoRoleName"/> it hands out <see cref="SesTestServer.SsoAccessKey"/>;</item>
/// <item>SSO OIDC CreateToken (POST /token; AWS_ENDPOINT_URL_SSO_OIDC), which refuses every refresh token
/// (invalid_grant), as it does once the session has ended.</item>
/// </list>
/// Every request is recorded.
/// </summary>
public sealed class AwsCredentialEndpoint : IDisposable
{
    public const string ContainerPath = "/v2/credentials/mailauth-task";
    public const string ContainerAuthorization = "mailauth-container-auth-DoNotLeak";
    public const string RoleName = "mailauth-role";
    private const string ImdsToken = "mailauth-imds-token-DoNotLeak";
    public const string AssumeRoleArn = "arn:aws:iam::123456789012:role/mailauth-ses-sender";
    public const string SsoAccessToken = "aoaAAAAAmailauth-sso-access-token-DoNotLeak";
    public const string SsoAccountId = "123456789012";
    public const string SsoRoleName = "MailAuthSesSender";

    private readonly HttpListener _listener;
    private readonly Task _loop;

    public AwsCredentialEndpoint()
    {
        _listener = LoopbackPort.StartHttpListener(out var port);
        Port = port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>"METHOD path status" of every request, in order; for STS "POST / Action status".</summary>
    public ConcurrentQueue<string> Requests { get; } = new ConcurrentQueue<string>();

    /// <summary>Why a request was refused (a signature problem, a wrong role or token), in order.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new ConcurrentQueue<string>();

    /// <summary>The form parameters of every STS call, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> StsCalls { get; } = new ConcurrentQueue<IReadOnlyDictionary<string, string>>();

    private static string CredentialsJson(bool imds) =>
        "{" + (imds ? "\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"LastUpdated\":\"" + DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") + "\"," : string.Empty) +
        "\"AccessKeyId\":\"" + SesTestServer.RoleAccessKey + "\",\"SecretAccessKey\":\"" + SesTestServer.RoleSecretKey + "\"," +
        "\"Token\":\"" + SesTestServer.RoleSessionToken + "\",\"Expiration\":\"" + DateTime.UtcNow.AddHours(6).ToString("yyyy-MM-ddTHH:mm:ssZ") + "\"}";

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception) { return; }
            byte[] requestBody;
            using (var ms = new MemoryStream()) { await ctx.Request.InputStream.CopyToAsync(ms).ConfigureAwait(false); requestBody = ms.ToArray(); }
            var (status, body, label) = Answer(ctx.Request, requestBody);
            Requests.Enqueue($"{ctx.Request.HttpMethod} {ctx.Request.Url!.AbsolutePath} {(label == null ? string.Empty : label + " ")}{status}");
            var bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = body.StartsWith("{", StringComparison.Ordinal) ? "application/json" : body.StartsWith("<", StringComparison.Ordinal) ? "text/xml" : "text/plain";
            ctx.Response.ContentLength64 = bytes.Length;
            try
            {
                await ctx.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                ctx.Response.Close();
            }
            catch (Exception) { }
        }
    }

    private (int Status, string Body, string Label) Answer(HttpListenerRequest req, byte[] body)
    {
        var path = req.Url!.AbsolutePath;
        if (req.HttpMethod == "POST" && path == "/")
        {
            var form = ParseForm(Encoding.UTF8.GetString(body));
            StsCalls.Enqueue(form);
            form.TryGetValue("Action", out var action);
            var (status, answer) = AssumeRole(req, body, form);
            return (status, answer, action);
        }
        if (path == "/federation/credentials") return WithLabel(GetRoleCredentials(req));
        if (req.HttpMethod == "POST" && path == "/token")
            return WithLabel(Refuse(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh token provided\"}", "SSO OIDC refresh refused (invalid_grant)"));
        return WithLabel(Metadata(req));
    }

    private static (int, string, string) WithLabel((int Status, string Body) answer) => (answer.Status, answer.Body, null);

    private (int Status, string Body) Refuse(int status, string body, string why)
    {
        Refusals.Enqueue(why);
        return (status, body);
    }

    private (int Status, string Body) AssumeRole(HttpListenerRequest req, byte[] body, IReadOnlyDictionary<string, string> form)
    {
        var problem = SigV4Verifier.Verify(req, body, "sts", null, SourceProfileKeys, out var accessKey, out _);
        if (problem != null)
            return Refuse(403, StsError("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."), "STS: " + problem + " (key " + accessKey + ")");
        if (!form.TryGetValue("Action", out var action) || action != "AssumeRole")
            return Refuse(400, StsError("InvalidAction", "Only AssumeRole is served here."), "STS: action " + action);
        if (!form.TryGetValue("RoleArn", out var roleArn) || roleArn != AssumeRoleArn)
            return Refuse(403, StsError("AccessDenied", "Not authorized to perform sts:AssumeRole"), "STS: role " + roleArn);
        form.TryGetValue("RoleSessionName", out var sessionName);
        var xml = File.ReadAllText(RepositoryPaths.DataFile("aws", "sts-assume-role-response.xml"))
            .Replace("{AccessKeyId}", SesTestServer.AssumedRoleAccessKey)
            .Replace("{SecretAccessKey}", SecurityElement.Escape(SesTestServer.AssumedRoleSecretKey))
            .Replace("{SessionToken}", SecurityElement.Escape(SesTestServer.AssumedRoleSessionToken))
            .Replace("{Expiration}", DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
            .Replace("{RoleSessionName}", SecurityElement.Escape(sessionName ?? string.Empty));
        return (200, xml);
    }

    private static string StsError(string code, string message) =>
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message +
        "</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>";

    /// <summary>The only key STS accepts: the static keys of the source profile (ses-test).</summary>
    private static readonly IReadOnlyDictionary<string, SigV4Verifier.Key> SourceProfileKeys = new Dictionary<string, SigV4Verifier.Key>
    {
        [SesTestServer.AccessKey] = new SigV4Verifier.Key(SesTestServer.SecretKey),
    };

    // GetRoleCredentials: https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html
    private (int Status, string Body) GetRoleCredentials(HttpListenerRequest req)
    {
        if (req.HttpMethod != "GET") return Refuse(405, "{\"message\":\"GET only\"}", "SSO: method " + req.HttpMethod);
        if (req.Headers["x-amz-sso_bearer_token"] != SsoAccessToken)
            return Refuse(401, "{\"message\":\"Session token not found or invalid\"}", "SSO: bearer token missing or wrong");
        if (req.QueryString["account_id"] != SsoAccountId || req.QueryString["role_name"] != SsoRoleName)
            return Refuse(403, "{\"message\":\"No access\"}", "SSO: account " + req.QueryString["account_id"] + " role " + req.QueryString["role_name"]);
        var expiration = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        return (200, "{\"roleCredentials\":{\"accessKeyId\":\"" + SesTestServer.SsoAccessKey + "\",\"secretAccessKey\":\"" + SesTestServer.SsoSecretKey +
            "\",\"sessionToken\":\"" + SesTestServer.SsoSessionToken + "\",\"expiration\":" + expiration + "}}");
    }

    private static Dictionary<string, string> ParseForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            form[WebUtility.UrlDecode(kv[0])] = kv.Length > 1 ? WebUtility.UrlDecode(kv[1]) : string.Empty;
        }
        return form;
    }

    private static (int Status, string Body) Metadata(HttpListenerRequest req)
    {
        var path = req.Url!.AbsolutePath;
        if (path == ContainerPath)
            return req.Headers["Authorization"] == ContainerAuthorization ? (200, CredentialsJson(imds: false)) : (401, "missing or wrong authorization token");
        if (path == "/latest/api/token")
            return req.HttpMethod == "PUT" && req.Headers["X-aws-ec2-metadata-token-ttl-seconds"] != null ? (200, ImdsToken) : (400, "IMDSv2 token requests are PUT with a TTL");
        if (path.StartsWith("/latest/meta-data/", StringComparison.Ordinal) && req.Headers["X-aws-ec2-metadata-token"] != ImdsToken)
            return (401, "IMDSv2 token missing");
        if (path == "/latest/meta-data/iam/security-credentials/" || path == "/latest/meta-data/iam/security-credentials")
            return (200, RoleName);
        if (path == "/latest/meta-data/iam/security-credentials/" + RoleName)
            return (200, CredentialsJson(imds: true));
        if (path == "/latest/meta-data/iam/info")
            return (200, "{\"Code\":\"Success\",\"InstanceProfileArn\":\"arn:aws:iam::123456789012:instance-profile/" + RoleName + "\",\"InstanceProfileId\":\"AIPAMAILAUTH\"}");
        return (404, "not found");
    }

    public void Dispose()
    {
        try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
