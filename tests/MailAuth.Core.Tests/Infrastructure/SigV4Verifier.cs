using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// AWS Signature Version 4 recomputed from the wire with its own implementation (not AWSSDK.Core's), for the
/// loopback stand-ins of SES, STS and S3: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
/// S3's differences (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html): the path is
/// encoded once, not twice, and x-amz-content-sha256 is required and may be UNSIGNED-PAYLOAD.
/// </summary>
public static class SigV4Verifier
{
    /// <summary>A secret access key and, for temporary credentials, the session token that must come with it.</summary>
    public sealed record Key(string SecretKey, string SessionToken = null);

    /// <summary>Null when the request is signed correctly for <paramref name="service"/> with a known key; otherwise what is wrong.</summary>
    /// <param name="regions">The signing regions accepted; null accepts any.</param>
    public static string Verify(HttpListenerRequest req, byte[] body, string service, IReadOnlyCollection<string> regions,
        IReadOnlyDictionary<string, Key> keys, out string accessKey, out string signingRegion)
    {
        accessKey = null;
        signingRegion = null;
        var auth = req.Headers["Authorization"];
        if (auth == null || !auth.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)) return "no SigV4 Authorization header";
        var parts = auth.Substring(17).Split(',').Select(p => p.Trim()).ToDictionary(p => p.Substring(0, p.IndexOf('=')), p => p.Substring(p.IndexOf('=') + 1));
        var scope = parts["Credential"].Split('/');
        accessKey = scope[0];
        if (scope.Length > 2) signingRegion = scope[2];
        if (!keys.TryGetValue(accessKey, out var key)) return "unknown access key";
        if (scope.Length != 5 || (regions != null && !regions.Contains(scope[2])) || scope[3] != service || scope[4] != "aws4_request")
            return "bad credential scope " + string.Join("/", scope.Skip(1));
        var amzDate = req.Headers["X-Amz-Date"];
        if (amzDate == null || !amzDate.StartsWith(scope[1], StringComparison.Ordinal)) return "x-amz-date does not match the scope date";
        var when = DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        if (Math.Abs((DateTime.UtcNow - when).TotalMinutes) > 5) return "request time too skewed";
        var payloadHash = Hex(SHA256.HashData(body));
        bool s3 = service == "s3";
        var declaredHash = req.Headers["X-Amz-Content-SHA256"];
        if (s3 && declaredHash == null) return "S3 requires the x-amz-content-sha256 header";
        if (s3 && declaredHash == "UNSIGNED-PAYLOAD") payloadHash = declaredHash;
        else if (declaredHash != null && declaredHash != payloadHash) return "payload hash header does not match the body";
        if (key.SessionToken != null && req.Headers["X-Amz-Security-Token"] != key.SessionToken) return "session token missing";

        var signed = parts["SignedHeaders"].Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-amz-date")) return "host and x-amz-date must be signed";
        var canonicalHeaders = new StringBuilder();
        foreach (var h in signed)
        {
            var value = h == "host" ? req.Headers["Host"] : req.Headers[h];
            if (value == null) return "signed header missing: " + h;
            canonicalHeaders.Append(h).Append(':').Append(string.Join(" ", value.Trim().Split((char[])null, StringSplitOptions.RemoveEmptyEntries))).Append('\n');
        }
        var rawUrl = req.RawUrl ?? "/";
        var query = rawUrl.Contains('?') ? rawUrl.Substring(rawUrl.IndexOf('?') + 1) : string.Empty;
        // Every service but S3 encodes the already-encoded path again; S3 encodes each segment once.
        var canonicalUri = string.Join("/", rawUrl.Split('?')[0].Split('/').Select(segment => Uri.EscapeDataString(s3 ? Uri.UnescapeDataString(segment) : segment)));
        var canonicalRequest = req.HttpMethod + "\n" + canonicalUri + "\n" + CanonicalQuery(query) + "\n" + canonicalHeaders + "\n" + parts["SignedHeaders"] + "\n" + payloadHash;
        var stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + string.Join("/", scope.Skip(1)) + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)));
        var signingKey = Hmac(Encoding.UTF8.GetBytes("AWS4" + key.SecretKey), scope[1]);
        signingKey = Hmac(signingKey, scope[2]);
        signingKey = Hmac(signingKey, scope[3]);
        signingKey = Hmac(signingKey, "aws4_request");
        var expected = Hex(Hmac(signingKey, stringToSign));
        return expected == parts["Signature"] ? null : "signature mismatch";
    }

    /// <summary>Parameters sorted by name, each name and value percent-encoded once (RFC 3986 unreserved characters left as they are).</summary>
    private static string CanonicalQuery(string query) =>
        string.Join("&", query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
    private static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
}
