using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using MailAuth.Records;

namespace MailAuth.Ses;

/// <summary>
/// The SES v2 REST-JSON API (botocore sesv2 2019-09-27) on AWSSDK.Core: its credential chain, its
/// SigV4 signer and its region data, with <see cref="HttpClient"/> for transport. Throttling
/// (TooManyRequestsException, HTTP 429) and 5xx answers are retried with exponential backoff.
/// </summary>
public sealed class SesV2Client : ISesClient, IDisposable
{
    private static readonly Random Jitter = new Random();
    private readonly SesClientOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _region;
    private (ImmutableCredentials Credentials, string Source)? _credentials;

    /// <summary>Resolves the region and endpoint now; credentials on the first call.</summary>
    public SesV2Client(SesClientOptions options)
    {
        _options = options ?? new SesClientOptions();
        _region = ResolveRegion(_options.Region);
        _endpoint = _options.EndpointUrl ?? new Uri("https://email." + _region + "." + DnsSuffix(_region) + "/");
        _http = new HttpClient { Timeout = _options.Timeout };
        Log($"SES v2 endpoint {_endpoint.GetLeftPart(UriPartial.Authority)}, region {_region}.");
    }

    /// <inheritdoc />
    public string Region => _region;

    /// <inheritdoc />
    public async Task<SesEmailIdentity> GetEmailIdentityAsync(string identity, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, IdentityPath(identity), null, identity, cancellationToken).ConfigureAwait(false);
        return SesEmailIdentityReader.Read(identity, _region, body);
    }

    /// <inheritdoc />
    public async Task PutEmailIdentityMailFromAttributesAsync(string identity, string mailFromDomain, SesBehaviorOnMxFailure behaviorOnMxFailure,
        CancellationToken cancellationToken = default)
    {
        using var stream = new System.IO.MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            if (!string.IsNullOrEmpty(mailFromDomain)) json.WriteString("MailFromDomain", mailFromDomain);
            json.WriteString("BehaviorOnMxFailure", SesApiValues.ToApi(behaviorOnMxFailure));
            json.WriteEndObject();
        }
        await SendAsync(HttpMethod.Put, IdentityPath(identity) + "/mail-from", stream.ToArray(), identity, cancellationToken).ConfigureAwait(false);
    }

    private static string IdentityPath(string identity) => "v2/email/identities/" + Uri.EscapeDataString(identity ?? string.Empty);

    private async Task<string> SendAsync(HttpMethod method, string path, byte[] body, string identity, CancellationToken cancellationToken)
    {
        if (_credentials == null)
        {
            _credentials = await SesCredentialResolver.ResolveAsync(_options.ProfileName, cancellationToken).ConfigureAwait(false);
            Log($"Using AWS credentials from {_credentials.Value.Source}.");
        }
        var uri = new Uri(_endpoint, path);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (body != null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            }
            SesRequestSigner.Sign(request, body, _credentials.Value.Credentials, _region, DateTime.UtcNow);
            Log($"{method.Method} {uri.AbsolutePath}" + (attempt > 0 ? $" (retry {attempt})" : string.Empty));

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new SesApiException(SesApiException.EndpointErrorId, $"Could not reach the SES endpoint {_endpoint.GetLeftPart(UriPartial.Authority)}: {ex.Message}", null, 0, ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SesApiException(SesApiException.EndpointErrorId, $"The SES endpoint {_endpoint.GetLeftPart(UriPartial.Authority)} did not answer within {_options.Timeout.TotalSeconds:0} s.", null, 0, ex);
            }

            using (response)
            {
                var text = response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status >= 200 && status < 300) return text;

                var errorType = ErrorType(response, text);
                var retryable = status == 429 || status >= 500 || errorType == "TooManyRequestsException" || errorType == "ThrottlingException";
                if (retryable && attempt < _options.MaxRetries)
                {
                    var delay = TimeSpan.FromMilliseconds(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt) * (0.5 + NextJitter()));
                    Log($"SES answered {status} {errorType}; retrying in {delay.TotalMilliseconds:0} ms.");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw Failure(status, errorType, ErrorMessage(text), identity, attempt);
            }
        }
    }

    private SesApiException Failure(int status, string errorType, string serverMessage, string identity, int attempts)
    {
        var detail = string.IsNullOrEmpty(serverMessage) ? string.Empty : " SES said: " + serverMessage;
        switch (errorType)
        {
            case "NotFoundException":
                return new SesApiException(SesApiException.IdentityNotFoundErrorId,
                    $"SES has no identity '{identity}' in region {_region} for this account. Check -Region, or create the identity first.{detail}", errorType, status);
            case "TooManyRequestsException":
            case "ThrottlingException":
                return new SesApiException(SesApiException.ThrottledErrorId,
                    $"SES kept throttling the request after {attempts} retries; wait and try again, or lower the request rate.{detail}", errorType, status);
            case "BadRequestException":
                return new SesApiException(SesApiException.BadRequestErrorId, $"SES refused the request for '{identity}'.{detail}", errorType, status);
            case "ExpiredTokenException":
            case "ExpiredToken":
            case "RequestExpired":
                return new SesApiException(SesApiException.CredentialsRejectedErrorId,
                    "SES rejected the credentials: they have expired. Refresh them (aws sso login, or new session credentials) and try again.", errorType, status);
            case "UnrecognizedClientException":
            case "InvalidClientTokenId":
            case "IncompleteSignatureException":
            case "InvalidSignatureException":
            case "SignatureDoesNotMatch":
                return new SesApiException(SesApiException.CredentialsRejectedErrorId,
                    $"SES rejected the credentials ({errorType}): the access key is unknown or the secret does not match. Check the profile or environment variables in use.", errorType, status);
            case "AccessDeniedException":
                return new SesApiException(SesApiException.AccessDeniedErrorId, $"Access denied: the credentials lack permission for this SES operation.{detail}", errorType, status);
        }
        if (status == 403)
            return new SesApiException(SesApiException.CredentialsRejectedErrorId, $"SES rejected the credentials (HTTP 403 {errorType}).", errorType, status);
        return new SesApiException(SesApiException.EndpointErrorId, $"SES answered HTTP {status} {errorType}.{detail}", errorType, status);
    }

    // rest-json errors: X-Amzn-ErrorType header, or "__type"/"code" in the body; strip namespaces and URLs.
    private static string ErrorType(HttpResponseMessage response, string body)
    {
        string raw = null;
        if (response.Headers.TryGetValues("X-Amzn-ErrorType", out var values)) raw = values.FirstOrDefault();
        if (string.IsNullOrEmpty(raw))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (doc.RootElement.TryGetProperty("__type", out var t)) raw = t.GetString();
                    else if (doc.RootElement.TryGetProperty("code", out var c)) raw = c.GetString();
                }
            }
            catch (JsonException) { }
        }
        if (string.IsNullOrEmpty(raw)) return response.StatusCode == (HttpStatusCode)429 ? "TooManyRequestsException" : "HTTP" + (int)response.StatusCode;
        var colon = raw.IndexOf(':');
        if (colon >= 0) raw = raw.Substring(0, colon);
        var hash = raw.LastIndexOf('#');
        if (hash >= 0) raw = raw.Substring(hash + 1);
        return raw;
    }

    private static string ErrorMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in new[] { "message", "Message" })
                if (doc.RootElement.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String) return m.GetString();
        }
        catch (JsonException) { }
        return null;
    }

    private static string ResolveRegion(string region)
    {
        if (string.IsNullOrWhiteSpace(region))
        {
            try { region = FallbackRegionFactory.GetRegionEndpoint()?.SystemName; }
            catch (Exception) { region = null; }
            if (string.IsNullOrWhiteSpace(region))
                throw new SesApiException(SesApiException.RegionNotSetErrorId,
                    "No AWS Region given: pass -Region, set AWS_REGION, or set region in the profile.");
        }
        return SesRegion.Get(region).Name;
    }

    private static string DnsSuffix(string region)
    {
        try { return RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix ?? "amazonaws.com"; }
        catch (Exception) { return "amazonaws.com"; }
    }

    private static double NextJitter()
    {
        lock (Jitter) return Jitter.NextDouble();
    }

    private void Log(string message) => _options.Log?.Invoke(message);

    public void Dispose() => _http.Dispose();
}
