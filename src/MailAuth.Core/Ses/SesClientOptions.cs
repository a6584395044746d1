using System;

namespace MailAuth.Ses;

/// <summary>How to reach and authenticate to the SES v2 API.</summary>
public sealed class SesClientOptions
{
    /// <summary>The region; null: AWS_REGION, AWS_DEFAULT_REGION or the profile's region (AWSSDK.Core's fallback).</summary>
    public string Region { get; set; }

    /// <summary>A named profile of the shared config/credentials files; null: the default credential chain.</summary>
    public string ProfileName { get; set; }

    /// <summary>
    /// Another endpoint (a VPC endpoint, a test server); null: https://email.&lt;region&gt;.&lt;partition suffix&gt;.
    /// It must be https, or http to a loopback address (a local test endpoint): anything else is refused with
    /// <see cref="SesV2Client.InsecureEndpointErrorId"/>, since every request carries a signature and possibly a session token.
    /// </summary>
    public Uri EndpointUrl { get; set; }

    /// <summary>How many times to retry a throttled (429) or failed (5xx) request.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first backoff delay; it doubles with each retry (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The most bytes read of one answer. Default 1 MiB: a GetEmailIdentity answer is a few kilobytes, even
    /// with its policies and tags; a larger answer is an SesEndpointError and the rest is not read.
    /// </summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Time allowed for one HTTP request, its answer included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives one line per decision (endpoint, retries); never a credential.</summary>
    public Action<string> Log { get; set; }
}
