namespace MailAuth.Dkim;

/// <summary>The verdict on one DKIM signature, with the result names of RFC 8601 §2.7.1.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DkimResult : long
{
    /// <summary>The message has no DKIM-Signature.</summary>
    None = 0,
    /// <summary>The body hash and the header signature both verify with the published key.</summary>
    Pass,
    /// <summary>The signature was checked and does not verify (body or headers changed, wrong key) or is unacceptable (rsa-sha1).</summary>
    Fail,
    /// <summary>The signature could not be processed for a reason that is not a verification failure.</summary>
    Neutral,
    /// <summary>The key could not be fetched for now (DNS timeout, SERVFAIL); try again later.</summary>
    TempError,
    /// <summary>The signature or its key is unusable: malformed tags, no key, revoked or too short key, expired.</summary>
    PermError,
}
