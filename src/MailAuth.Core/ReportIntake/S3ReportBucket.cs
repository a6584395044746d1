using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MailAuth.Ses;

namespace MailAuth.ReportIntake;

/// <summary>
/// The S3 prefix where an Amazon SES receipt rule stores incoming report mail, read through AWSSDK.S3 with the same
/// credential chain as the SES cmdlets (<see cref="SesCredentialResolver"/>: a named profile, or the default chain):
/// ListObjectsV2 page by page (continuation tokens), GetObject of each message, and DeleteObject only when asked.
/// </summary>
public sealed class S3ReportBucket : IDmarcReportSource
{
    private readonly S3ReportBucketOptions _options;
    private readonly string _region;
    private AmazonS3Client _client;

    public S3ReportBucket(S3ReportBucketOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (string.IsNullOrWhiteSpace(options.Bucket)) throw new ArgumentException("A bucket is required.", nameof(options));
        var endpoint = options.EndpointUrl;
        if (endpoint != null && endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback))
            throw new ReportSourceException(ReportSourceException.InsecureEndpointErrorId, endpoint.OriginalString,
                $"The S3 endpoint {endpoint.GetLeftPart(UriPartial.Authority)} is not https: every request would carry its signature, and the session token of temporary credentials, in clear text. Give an https:// endpoint (plain http is accepted only to a loopback address, for a local test endpoint).");
        _region = ResolveRegion(options.Region);
        Name = $"s3://{options.Bucket}/{options.Prefix}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DmarcReportSourceItem>> ListAsync(CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var items = new List<DmarcReportSourceItem>();
        string token = null;
        int pages = 0;
        do
        {
            ListObjectsV2Response page;
            try
            {
                page = await client.ListObjectsV2Async(new ListObjectsV2Request
                {
                    BucketName = _options.Bucket,
                    Prefix = string.IsNullOrEmpty(_options.Prefix) ? null : _options.Prefix,
                    ContinuationToken = token,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsServiceFailure(ex))
            {
                throw Failed(ex, Name, $"Listing {Name} failed");
            }
            pages++;
            foreach (var o in page.S3Objects ?? new List<S3Object>())
            {
                if (o.Key.EndsWith("/", StringComparison.Ordinal)) continue;
                items.Add(new DmarcReportSourceItem(o.Key, $"s3://{_options.Bucket}/{o.Key}", o.Size, o.LastModified.HasValue ? new DateTimeOffset(o.LastModified.Value.ToUniversalTime()) : (DateTimeOffset?)null));
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(token));
        Log($"ListObjectsV2 of {Name}: {items.Count} object(s) in {pages} page(s).");
        return items;
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadAsync(DmarcReportSourceItem item, long maxBytes, CancellationToken cancellationToken)
    {
        if (item.Size > maxBytes) throw TooLarge(item, maxBytes);
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var response = await client.GetObjectAsync(_options.Bucket, item.Id, cancellationToken).ConfigureAwait(false);
            if (response.ContentLength > maxBytes) throw TooLarge(item, maxBytes);
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int n;
            while ((n = await response.ResponseStream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw TooLarge(item, maxBytes);
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
        catch (Exception ex) when (IsServiceFailure(ex))
        {
            throw Failed(ex, item.Name, $"GetObject of {item.Name} failed", ReportSourceException.ItemFailedErrorId);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(DmarcReportSourceItem item, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.DeleteObjectAsync(_options.Bucket, item.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsServiceFailure(ex))
        {
            throw Failed(ex, item.Name, $"DeleteObject of {item.Name} failed", ReportSourceException.ItemFailedErrorId);
        }
    }

    private async Task<AmazonS3Client> ClientAsync(CancellationToken cancellationToken)
    {
        if (_client != null) return _client;
        ImmutableCredentials credentials;
        try
        {
            var resolved = await SesCredentialResolver.ResolveAsync(_options.ProfileName, cancellationToken).ConfigureAwait(false);
            credentials = resolved.Credentials;
            Log($"Using AWS credentials from {resolved.Source}.");
        }
        catch (SesApiException ex)
        {
            throw new ReportSourceException(ex.ErrorId, Name, ex.Message, ex);
        }
        var config = new AmazonS3Config();
        if (_options.EndpointUrl != null)
        {
            config.ServiceURL = _options.EndpointUrl.ToString();
            config.AuthenticationRegion = _region;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(_region);
        }
        config.MaxErrorRetry = 4;
        AWSCredentials aws = credentials.UseToken
            ? new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token)
            : new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey);
        _client = new AmazonS3Client(aws, config);
        Log($"S3 endpoint {(_options.EndpointUrl?.GetLeftPart(UriPartial.Authority) ?? "of " + _region)}, region {_region}.");
        return _client;
    }

    private static string ResolveRegion(string region)
    {
        if (string.IsNullOrWhiteSpace(region))
        {
            try { region = FallbackRegionFactory.GetRegionEndpoint()?.SystemName; }
            catch (Exception) { region = null; }
            if (string.IsNullOrWhiteSpace(region))
                throw new ReportSourceException(SesApiException.RegionNotSetErrorId, null, "No AWS Region given for the bucket: pass -Region, set AWS_REGION, or set region in the profile.");
        }
        return region.Trim();
    }

    private static bool IsServiceFailure(Exception ex) => ex is AmazonServiceException || ex is AmazonClientException || ex is HttpRequestException || ex is IOException || ex is WebException;

    private static ReportSourceException Failed(Exception ex, string target, string what, string otherwise = ReportSourceException.ConnectFailedErrorId)
    {
        string errorId = otherwise;
        if (ex is AmazonS3Exception s3)
        {
            if (s3.ErrorCode == "InvalidAccessKeyId" || s3.ErrorCode == "SignatureDoesNotMatch" || s3.ErrorCode == "ExpiredToken" || s3.ErrorCode == "InvalidToken") errorId = ReportSourceException.AuthenticationFailedErrorId;
            else if (s3.ErrorCode == "NoSuchBucket" || s3.ErrorCode == "NoSuchKey" || s3.StatusCode == HttpStatusCode.NotFound) errorId = ReportSourceException.NotFoundErrorId;
            else if (s3.ErrorCode == "AccessDenied" || s3.StatusCode == HttpStatusCode.Forbidden) errorId = ReportSourceException.AccessDeniedErrorId;
            return new ReportSourceException(errorId, target, $"{what}: {s3.ErrorCode} (HTTP {(int)s3.StatusCode}) {s3.Message}", ex);
        }
        return new ReportSourceException(errorId, target, $"{what}: {ex.Message}", ex);
    }

    private static ReportSourceException TooLarge(DmarcReportSourceItem item, long maxBytes) =>
        new ReportSourceException(ReportSourceException.ItemTooLargeErrorId, item.Name,
            $"{item.Name} is more than the {maxBytes:N0} bytes read for a message; it was not read, and it stays in the bucket.");

    private void Log(string line) => _options.Log?.Invoke(line);

    public void Dispose() => _client?.Dispose();
}
