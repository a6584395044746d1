using System;

namespace MailAuth.Ses;

/// <summary>How to reach and authenticate to the SES v2 API.</summary>
public sealed class SesClientOptions
{
    /// <summary>The region; null: AWS_REGION, AWS_DEFAULT_REGION or the profile's region (AWSSDK.Core's fallback).</summary>
    public string Region { get; set; }

    /// <summary>A named profile of the shared config/credentials files; null: the default credential chain.</summary>
    public string ProfileName { get; set; }

    /// <summary>Another endpoint (a VPC endpoint, a test server); null: https://email.&lt;region&gt;.&lt;partition suffix&gt;.</summary>
    public Uri EndpointUrl { get; set; }

    /// <summary>How many times to retry a throttled (429) or failed (5xx) request.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first backoff delay; it doubles with each retry (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Time allowed for one HTTP request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives one line per decision (endpoint, retries); never a credential.</summary>
    public Action<string> Log { get; set; }
}
