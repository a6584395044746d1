using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// A local stand-in for Amazon S3 (HttpListener on 127.0.0.1:&lt;free port&gt;, path-style addressing) over objects held
/// in memory, as an SES receipt rule's S3 action leaves incoming mail: every request's SigV4 is verified for service
/// "s3" (<see cref="SigV4Verifier"/>, the SES stand-in's keys), then it serves ListObjectsV2 (pages of
/// <see cref="PageSize"/> keys joined by continuation tokens), GetObject and DeleteObject, with S3's XML errors
/// (NoSuchBucket, NoSuchKey, SignatureDoesNotMatch; a bucket named "denied-..." answers AccessDenied, and GetObject of
/// a key containing "unreadable" answers InvalidObjectState, as an object in an archive storage class does, and of a key
/// containing "slow" answers only after 20 s).
/// </summary>
public sealed class S3TestServer : LoopbackHttpServer
{
    private int _slowAnswersSent;

    /// <summary>How many "slow" objects were answered (20 s after they were asked): a client that stopped waiting in time saw none.</summary>
    public int SlowAnswersSent => Volatile.Read(ref _slowAnswersSent);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (byte[] Content, DateTime LastModified)>> _buckets =
        new ConcurrentDictionary<string, ConcurrentDictionary<string, (byte[], DateTime)>>(StringComparer.Ordinal);

    public S3TestServer(int pageSize = 1000)
    {
        PageSize = pageSize;
    }

    public int PageSize { get; }

    /// <summary>Creates a bucket (empty).</summary>
    public void CreateBucket(string bucket) => _buckets.GetOrAdd(bucket, _ => new ConcurrentDictionary<string, (byte[], DateTime)>(StringComparer.Ordinal));

    /// <summary>Stores an object (creating its bucket), as the SES S3 action does.</summary>
    public void Put(string bucket, string key, byte[] content, DateTime? lastModified = null)
    {
        CreateBucket(bucket);
        _buckets[bucket][key] = (content, (lastModified ?? DateTime.UtcNow).ToUniversalTime());
    }

    /// <summary>The keys of a bucket, in S3's order (UTF-8 binary).</summary>
    public string[] Keys(string bucket) =>
        _buckets.TryGetValue(bucket, out var objects) ? objects.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray() : Array.Empty<string>();

    protected override void Fail(HttpListenerContext ctx, Exception ex) => Error(ctx, 500, "InternalError", ex.Message, null);

    protected override void Handle(HttpListenerContext ctx)
    {
        var req = ctx.Request;
        var path = req.RawUrl.Split('?')[0];
        var received = Record(req, path, out var body);

        var problem = Verify(req, body, "s3", null, received);
        if (problem != null) { received.Status = 403; Error(ctx, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided (" + problem + ").", null); return; }

        var parts = path.TrimStart('/').Split(new[] { '/' }, 2);
        var bucket = Uri.UnescapeDataString(parts[0]);
        var key = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        if (bucket.StartsWith("denied", StringComparison.Ordinal)) { received.Status = 403; Error(ctx, 403, "AccessDenied", "Access Denied", null); return; }
        if (!_buckets.TryGetValue(bucket, out var objects)) { received.Status = 404; Error(ctx, 404, "NoSuchBucket", "The specified bucket does not exist", bucket); return; }

        if (string.IsNullOrEmpty(key) && req.HttpMethod == "GET" && req.QueryString["list-type"] == "2")
        {
            received.Status = 200;
            List(ctx, bucket, objects, req.QueryString["prefix"] ?? string.Empty, req.QueryString["continuation-token"]);
            return;
        }
        if (string.IsNullOrEmpty(key)) { received.Status = 400; Error(ctx, 400, "InvalidRequest", "Only ListObjectsV2 is served on a bucket.", bucket); return; }
        if (req.HttpMethod == "DELETE")
        {
            objects.TryRemove(key, out _);
            received.Status = 204;
            ctx.Response.StatusCode = 204;
            ctx.Response.Close();
            return;
        }
        if (req.HttpMethod != "GET") { received.Status = 405; Error(ctx, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", key); return; }
        if (key.Contains("slow", StringComparison.Ordinal))
        {
            // Answers after 20 s, off the request loop, so a client's cancellation (Ctrl+C) can be seen to stop waiting.
            received.Status = 200;
            _ = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
                Interlocked.Increment(ref _slowAnswersSent);
                try { Error(ctx, 503, "SlowDown", "Please reduce your request rate.", key); } catch (Exception) { }
            });
            return;
        }
        if (key.Contains("unreadable", StringComparison.Ordinal)) { received.Status = 400; Error(ctx, 400, "InvalidObjectState", "The operation is not valid for the object's storage class.", key); return; }
        if (!objects.TryGetValue(key, out var item)) { received.Status = 404; Error(ctx, 404, "NoSuchKey", "The specified key does not exist.", key); return; }
        received.Status = 200;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/octet-stream";
        ctx.Response.Headers["Last-Modified"] = item.LastModified.ToString("R");
        ctx.Response.Headers["ETag"] = "\"" + ETag(item.Content) + "\"";
        ctx.Response.ContentLength64 = item.Content.Length;
        ctx.Response.OutputStream.Write(item.Content, 0, item.Content.Length);
        ctx.Response.Close();
    }

    private void List(HttpListenerContext ctx, string bucket, ConcurrentDictionary<string, (byte[] Content, DateTime LastModified)> objects, string prefix, string token)
    {
        var after = token == null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(token));
        var keys = objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && (after == null || string.CompareOrdinal(k, after) > 0))
            .OrderBy(k => k, StringComparer.Ordinal).ToList();
        var page = keys.Take(PageSize).ToList();
        bool truncated = keys.Count > page.Count;
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        xml.Append("<Name>").Append(Escape(bucket)).Append("</Name><Prefix>").Append(Escape(prefix)).Append("</Prefix>");
        xml.Append("<KeyCount>").Append(page.Count).Append("</KeyCount><MaxKeys>").Append(PageSize).Append("</MaxKeys>");
        xml.Append("<IsTruncated>").Append(truncated ? "true" : "false").Append("</IsTruncated>");
        if (token != null) xml.Append("<ContinuationToken>").Append(Escape(token)).Append("</ContinuationToken>");
        if (truncated) xml.Append("<NextContinuationToken>").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(page[page.Count - 1]))).Append("</NextContinuationToken>");
        foreach (var key in page)
        {
            if (!objects.TryGetValue(key, out var item)) continue;
            xml.Append("<Contents><Key>").Append(Escape(key)).Append("</Key><LastModified>").Append(item.LastModified.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"))
                .Append("</LastModified><ETag>&quot;").Append(ETag(item.Content)).Append("&quot;</ETag><Size>").Append(item.Content.Length)
                .Append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        xml.Append("</ListBucketResult>");
        Write(ctx, 200, xml.ToString());
    }

    /// <summary>An object's ETag as S3 gives it for a single-part upload: the hex MD5 of its bytes (AWSSDK.S3 checks GetObject's body against it).</summary>
    private static string ETag(byte[] content) => Convert.ToHexString(System.Security.Cryptography.MD5.HashData(content)).ToLowerInvariant();

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static void Error(HttpListenerContext ctx, int status, string code, string message, string resource)
    {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + Escape(message) + "</Message>" +
            (resource == null ? string.Empty : "<Resource>" + Escape(resource) + "</Resource>") + "<RequestId>" + Guid.NewGuid().ToString("N") + "</RequestId></Error>";
        Write(ctx, status, xml);
    }

    private static void Write(HttpListenerContext ctx, int status, string xml)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/xml";
        ctx.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString("N");
        ctx.Response.ContentLength64 = bytes.Length;
        ctx.Response.OutputStream.Write(bytes, 0, bytes.Length);
        ctx.Response.Close();
    }
}
