using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;

namespace MailAuth.Ses;

/// <summary>
/// Signs an AWS REST request with AWS Signature Version 4: the canonical request is built here
/// (path segments URI-encoded twice, as for every service but S3; query parameters sorted and encoded once),
/// the signature by AWSSDK.Core's <see cref="AWS4Signer"/>. The signing service name is "ses" for SES v2
/// (botocore sesv2 metadata signingName) and "route53" for Route 53.
/// </summary>
internal static class SesRequestSigner
{
    internal const string ServiceName = "ses";

    internal static void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials credentials, string region, DateTime utcNow) =>
        Sign(request, body, credentials, region, utcNow, ServiceName);

    internal static void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials credentials, string region, DateTime utcNow, string service)
    {
        var uri = request.RequestUri;
        var host = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var payloadHash = AWSSDKUtils.ToHex(AWS4Signer.ComputeHash(body ?? new byte[0]), true);

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-content-sha256"] = payloadHash,
            ["x-amz-date"] = amzDate,
        };
        if (credentials.UseToken) headers["x-amz-security-token"] = credentials.Token;

        var signedHeaders = string.Join(";", headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(CanonicalPath(uri.AbsolutePath)).Append('\n')
            .Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var h in headers) canonical.Append(h.Key).Append(':').Append(h.Value.Trim()).Append('\n');
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        var result = AWS4Signer.ComputeSignature(credentials, region, utcNow, service, signedHeaders, canonical.ToString());

        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", payloadHash);
        if (credentials.UseToken) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>The canonical query string: parameters sorted by name, each name and value percent-encoded once (RFC 3986).</summary>
    internal static string CanonicalQuery(string query) =>
        string.Join("&", (query ?? string.Empty).TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(new[] { '=' }, 2))
            .Select(p => (Name: AWSSDKUtils.UrlEncode(Uri.UnescapeDataString(p[0]), false), Value: AWSSDKUtils.UrlEncode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty), false)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    /// <summary>The canonical URI: each segment of the (already encoded) path encoded again.</summary>
    internal static string CanonicalPath(string encodedPath) =>
        string.Join("/", encodedPath.Split('/').Select(s => Uri.EscapeDataString(s)));
}
