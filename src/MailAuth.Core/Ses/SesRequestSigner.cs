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
/// Signs an SES v2 HTTP request with AWS Signature Version 4: the canonical request is built here
/// (path segments URI-encoded twice, as for every service but S3), the signature by AWSSDK.Core's
/// <see cref="AWS4Signer"/>. The signing service name is "ses" (botocore sesv2 metadata signingName).
/// </summary>
internal static class SesRequestSigner
{
    internal const string ServiceName = "ses";

    internal static void Sign(HttpRequestMessage request, byte[] body, ImmutableCredentials credentials, string region, DateTime utcNow)
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
            .Append(string.Empty).Append('\n');
        foreach (var h in headers) canonical.Append(h.Key).Append(':').Append(h.Value.Trim()).Append('\n');
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        var result = AWS4Signer.ComputeSignature(credentials, region, utcNow, ServiceName, signedHeaders, canonical.ToString());

        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", payloadHash);
        if (credentials.UseToken) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>The canonical URI: each segment of the (already encoded) path encoded again.</summary>
    internal static string CanonicalPath(string encodedPath) =>
        string.Join("/", encodedPath.Split('/').Select(s => Uri.EscapeDataString(s)));
}
