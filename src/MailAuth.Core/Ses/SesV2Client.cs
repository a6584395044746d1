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
using MailAuth.Common;

namespace MailAuth.Ses;

/// <summary>
/// The SES v2 REST-JSON API (botocore sesv2 2019-09-27) on AWSSDK.Core: its credential chain, its
/// SigV4 signer and its region data, with <see cref="HttpClient"/> for transport. Throttling
/// (TooManyRequestsException, HTTP 429) and 5xx answers are retried with exponential backoff.
/// Signed requests go only to the endpoint given: redirects are not followed (following one would
/// re-send the session token and the body to another origin), plain HTTP is refused except to loopback,
/// answers are read up to <see cref="SesClientOptions.MaxResponseBytes"/>, anything but a JSON object is an
/// <see cref="SesApiException.EndpointErrorId"/> error, and server text is redacted before it is relayed.
/// </summary>
public sealed class SesV2Client : ISesClient, IDisposable
{
    /// <summary>An -EndpointUrl that would send signed requests and the session token in clear text.</summary>
    public const string InsecureEndpointErrorId = "SesInsecureEndpoint";

    private readonly SesClientOptions _options;
    private readonly AwsRestTransport _transport;
    private readonly string _region;

    /// <summary>Resolves the region and endpoint now; credentials on the first call.</summary>
    public SesV2Client(SesClientOptions options)
    {
        _options = options ?? new SesClientOptions();
        _region = ResolveRegion(_options.Region);
        var endpoint = _options.EndpointUrl ?? new Uri("https://email." + _region + "." + DnsSuffix(_region) + "/");
        if (!AwsRestTransport.IsAcceptable(endpoint))
            throw new MailAuthInputException(InsecureEndpointErrorId,
                $"The SES endpoint {endpoint.GetLeftPart(UriPartial.Authority)} is not https: every request would carry its signature, and the session token of temporary credentials, in clear text. Give an https:// endpoint (plain http is accepted only to a loopback address, for a local test endpoint).",
                endpoint.OriginalString);
        _transport = new AwsRestTransport(endpoint, SesRequestSigner.ServiceName, _region, _options.ProfileName, _options.Timeout, _options.MaxResponseBytes,
            _options.MaxRetries, _options.RetryBaseDelay, _options.Log);
        Log($"SES v2 endpoint {_transport.Origin}, region {_region}.");
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
        AwsRestAnswer answer;
        try
        {
            answer = await _transport.SendAsync(method, path, body, "application/json",
                a => ErrorType(a) is string type && (type == "TooManyRequestsException" || type == "ThrottlingException"), cancellationToken).ConfigureAwait(false);
        }
        catch (AwsRestTransportException ex)
        {
            throw new SesApiException(SesApiException.EndpointErrorId, "The SES endpoint: " + ex.Message, null, ex.Status, ex);
        }
        if (answer.Status >= 200 && answer.Status < 300) return ExpectJsonObject(answer.Body, answer.Status, answer.ContentType, method);
        throw Failure(answer.Status, Redact(ErrorType(answer)), Redact(ErrorMessage(answer.Body)), identity, answer.Retries, answer.ContentType);
    }

    private string Origin => _transport.Origin;

    /// <summary>
    /// A successful answer must be a JSON object (rest-json); an empty body is accepted from a PUT. Anything
    /// else (an HTML page from a captive portal or proxy, truncated JSON, an array) is not the SES API.
    /// </summary>
    private string ExpectJsonObject(string text, int status, string contentType, HttpMethod method)
    {
        if (string.IsNullOrWhiteSpace(text) && method != HttpMethod.Get) return text;
        string problem;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return text;
            problem = $"a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
        }
        catch (JsonException)
        {
            problem = string.IsNullOrWhiteSpace(text) ? "an empty body" : "a body that is not JSON, or JSON cut short";
        }
        throw new SesApiException(SesApiException.EndpointErrorId,
            $"The SES endpoint {Origin} answered HTTP {status} with {Redact(contentType) ?? "no content type"} ({text.Length:N0} characters): {problem}. This is not the SES API answering (a proxy, a captive portal or another service?); check -EndpointUrl and the network path.",
            null, status);
    }

    /// <summary>Server text with anything credential-like removed, including this client's own key id and token.</summary>
    private string Redact(string text) => _transport.Redact(text);

    private SesApiException Failure(int status, string errorType, string serverMessage, string identity, int attempts, string contentType)
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
        return new SesApiException(SesApiException.EndpointErrorId,
            $"The SES endpoint {Origin} answered HTTP {status} {errorType} with {contentType ?? "no content type"}{(attempts > 0 ? $", after {attempts} retries" : string.Empty)}.{detail}",
            errorType, status);
    }

    // rest-json errors: X-Amzn-ErrorType header, or "__type"/"code" in the body; strip namespaces and URLs.
    private static string ErrorType(AwsRestAnswer answer)
    {
        string raw = answer.ErrorTypeHeader;
        if (string.IsNullOrEmpty(raw))
        {
            try
            {
                using var doc = JsonDocument.Parse(answer.Body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (doc.RootElement.TryGetProperty("__type", out var t)) raw = t.GetString();
                    else if (doc.RootElement.TryGetProperty("code", out var c)) raw = c.GetString();
                }
            }
            catch (JsonException) { }
        }
        if (string.IsNullOrEmpty(raw)) return answer.Status == 429 ? "TooManyRequestsException" : "HTTP" + answer.Status;
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

    private void Log(string message) => _options.Log?.Invoke(message);

    public void Dispose() => _transport.Dispose();
}
