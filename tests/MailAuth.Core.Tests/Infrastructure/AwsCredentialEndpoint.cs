using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// The two HTTP credential sources of AWSSDK.Core's default chain, on loopback: the container credentials
/// endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN, as ECS and EKS Pod
/// Identity serve it) and the EC2 instance metadata service (IMDSv2: a PUT for a session token, then the
/// role name and the role's credentials; AWS_EC2_METADATA_SERVICE_ENDPOINT points the SDK here). Both hand
/// out <see cref="SesTestServer.RoleAccessKey"/> with its secret and session token; every request is recorded.
/// </summary>
public sealed class AwsCredentialEndpoint : IDisposable
{
    public const string ContainerPath = "/v2/credentials/mailauth-task";
    public const string ContainerAuthorization = "mailauth-container-auth-DoNotLeak";
    public const string RoleName = "mailauth-role";
    private const string ImdsToken = "mailauth-imds-token-DoNotLeak";

    private readonly HttpListener _listener = new HttpListener();
    private readonly Task _loop;

    public AwsCredentialEndpoint()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>"METHOD path status" of every request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new ConcurrentQueue<string>();

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
            var (status, body) = Answer(ctx.Request);
            Requests.Enqueue($"{ctx.Request.HttpMethod} {ctx.Request.Url!.AbsolutePath} {status}");
            var bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = body.StartsWith("{", StringComparison.Ordinal) ? "application/json" : "text/plain";
            ctx.Response.ContentLength64 = bytes.Length;
            try
            {
                await ctx.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                ctx.Response.Close();
            }
            catch (Exception) { }
        }
    }

    private static (int Status, string Body) Answer(HttpListenerRequest req)
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
