using System;

namespace MailAuth.ReportIntake;

/// <summary>How to reach the S3 prefix where an SES receipt rule's S3 action stores incoming mail (raw MIME messages).</summary>
public sealed class S3ReportBucketOptions
{
    /// <summary>The bucket.</summary>
    public string Bucket { get; set; }

    /// <summary>The object key prefix the receipt rule writes under (its ObjectKeyPrefix); null or empty: the whole bucket.</summary>
    public string Prefix { get; set; }

    /// <summary>The bucket's region; null: AWS_REGION, AWS_DEFAULT_REGION or the profile's region.</summary>
    public string Region { get; set; }

    /// <summary>A named profile of the shared config/credentials files; null: the default credential chain.</summary>
    public string ProfileName { get; set; }

    /// <summary>
    /// Another S3 endpoint (an S3-compatible store, a VPC endpoint, a test server), addressed path-style. Only
    /// https, or http to a loopback address, is accepted: every request carries a signature and possibly a session token.
    /// </summary>
    public Uri EndpointUrl { get; set; }

    /// <summary>Receives one line per decision (endpoint, credentials' origin, pages listed); never a credential.</summary>
    public Action<string> Log { get; set; }
}
