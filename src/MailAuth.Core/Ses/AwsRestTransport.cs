using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace MailAuth.Ses;

/// <summary>
/// Signed HTTP to one AWS REST endpoint, with the safety rules of the SES client: plain HTTP only to loopback,
/// redirects never followed (following one would re-send the signature, the session token and the body to another
/// origin), answers read up to a limit, throttled and failed (5xx) answers retried with exponential backoff and
/// jitter, and server text redacted before it goes into a message. Credentials come from
/// <see cref="SesCredentialResolver"/> on the first request. What an answer means is the caller's business:
/// every answer that is not a redirect comes back as an <see cref="AwsRestAnswer"/>.
/// </summary>
internal sealed class AwsRestTransport : IDisposable
{
    private static readonly Random Jitter = new Random();
    private readonly HttpClient _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string _service;
    private readonly string _region;
    private readonly string _profileName;
    private readonly TimeSpan _timeout;
    private readonly long _maxResponseBytes;
    private readonly int _maxRetries;
    private readonly TimeSpan _retryBaseDelay;
    private readonly Action<string> _log;
    private (ImmutableCredentials Credentials, string Source)? _credentials;

    /// <param name="endpoint">https://, or http:// to a loopback address; checked by <see cref="IsAcceptable"/> first.</param>
    internal AwsRestTransport(Uri endpoint, string service, string region, string profileName, TimeSpan timeout, long maxResponseBytes,
        int maxRetries, TimeSpan retryBaseDelay, Action<string> log)
    {
        Endpoint = endpoint;
        _service = service;
        _region = region;
        _profileName = profileName;
        _timeout = timeout;
        _maxResponseBytes = maxResponseBytes;
        _maxRetries = maxRetries;
        _retryBaseDelay = retryBaseDelay;
        _log = log;
    }

    internal Uri Endpoint { get; }

    /// <summary>scheme://host[:port] of the endpoint, for messages.</summary>
    internal string Origin => Endpoint.GetLeftPart(UriPartial.Authority);

    /// <summary>https, or http to a loopback address (a local test endpoint).</summary>
    internal static bool IsAcceptable(Uri endpoint) =>
        endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback);

    /// <summary>
    /// Sends one request (and its retries while <paramref name="retryable"/> says so). Throws
    /// <see cref="AwsRestTransportException"/> when no usable answer came, and <see cref="SesApiException"/> from the
    /// credential chain.
    /// </summary>
    internal async Task<AwsRestAnswer> SendAsync(HttpMethod method, string pathAndQuery, byte[] body, string contentType,
        Func<AwsRestAnswer, bool> retryable, CancellationToken cancellationToken)
    {
        if (_credentials == null)
        {
            _credentials = await SesCredentialResolver.ResolveAsync(_profileName, cancellationToken).ConfigureAwait(false);
            _log?.Invoke($"Using AWS credentials from {_credentials.Value.Source}.");
        }
        var uri = new Uri(Endpoint, pathAndQuery);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (body != null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            SesRequestSigner.Sign(request, body, _credentials.Value.Credentials, _region, DateTime.UtcNow, _service);
            _log?.Invoke($"{method.Method} {uri.PathAndQuery}" + (attempt > 0 ? $" (retry {attempt})" : string.Empty));

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            AwsRestAnswer answer;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status >= 300 && status < 400) throw Redirected(status, response.Headers.Location);
                var text = await ReadBodyAsync(response, status, timeout.Token).ConfigureAwait(false);
                answer = new AwsRestAnswer(status, text, Redact(response.Content?.Headers.ContentType?.ToString()), attempt);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is System.IO.IOException)
            {
                throw new AwsRestTransportException($"Could not reach {Origin}: {Redact(ex.Message)}", 0, ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AwsRestTransportException($"{Origin} did not answer within {_timeout.TotalSeconds:0} s.", 0, ex);
            }

            if (answer.Status >= 200 && answer.Status < 300) return answer;
            if (attempt < _maxRetries && (answer.Status >= 500 || answer.Status == 429 || retryable(answer)))
            {
                var delay = TimeSpan.FromMilliseconds(_retryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt) * (0.5 + NextJitter()));
                _log?.Invoke($"{Origin} answered {answer.Status}; retrying in {delay.TotalMilliseconds:0} ms.");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            return answer;
        }
    }

    /// <summary>Server text with anything credential-like removed, including this transport's own key id and token.</summary>
    internal string Redact(string text)
    {
        var credentials = _credentials?.Credentials;
        return SesSecretRedactor.Redact(text, credentials?.AccessKey, credentials?.SecretKey, credentials?.Token);
    }

    private async Task<string> ReadBodyAsync(HttpResponseMessage response, int status, CancellationToken cancellationToken)
    {
        if (response.Content == null) return string.Empty;
        if (response.Content.Headers.ContentLength > _maxResponseBytes) throw TooLong(status);
        using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new System.IO.MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > _maxResponseBytes) throw TooLong(status);
            buffer.Write(chunk, 0, n);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private AwsRestTransportException TooLong(int status) =>
        new AwsRestTransportException($"{Origin} answered HTTP {status} with more than {_maxResponseBytes:N0} bytes, the most read of one answer; the rest was not read.", status);

    private AwsRestTransportException Redirected(int status, Uri location)
    {
        var target = location == null ? "no Location" : location.IsAbsoluteUri ? Redact(location.GetLeftPart(UriPartial.Authority)) : "a path on the same host";
        return new AwsRestTransportException(
            $"{Origin} answered HTTP {status}, a redirect (to {target}). Redirects are not followed: following one would re-send the signed request, the session token and the body elsewhere. Give the endpoint's own address with -EndpointUrl.",
            status);
    }

    private static double NextJitter()
    {
        lock (Jitter) return Jitter.NextDouble();
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One answer of an AWS REST endpoint: HTTP status, body text and content type (redacted), and how many retries it took.</summary>
internal sealed class AwsRestAnswer
{
    internal AwsRestAnswer(int status, string body, string contentType, int retries)
    {
        Status = status;
        Body = body ?? string.Empty;
        ContentType = contentType;
        Retries = retries;
    }

    internal int Status { get; }
    internal string Body { get; }
    internal string ContentType { get; }
    internal int Retries { get; }
}

/// <summary>No usable answer: the endpoint could not be reached, timed out, redirected or answered too much.</summary>
internal sealed class AwsRestTransportException : Exception
{
    internal AwsRestTransportException(string message, int status, Exception inner = null) : base(message, inner) => Status = status;

    /// <summary>The HTTP status; 0 when no answer came.</summary>
    internal int Status { get; }
}
