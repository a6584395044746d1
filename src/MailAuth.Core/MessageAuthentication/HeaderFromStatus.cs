namespace MailAuth.MessageAuthentication;

/// <summary>Whether the message has the one author domain DMARC evaluates (RFC 5322 §3.6, RFC 9989 §4.4).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum HeaderFromStatus : long
{
    /// <summary>One From field, and its mailboxes share one domain.</summary>
    Single,

    /// <summary>No From field: RFC 5322 requires one, and DMARC has no author domain to evaluate.</summary>
    Missing,

    /// <summary>Several From fields, or one with mailboxes in different domains: DMARC cannot pick one author domain.</summary>
    Multiple,

    /// <summary>The From field holds no parsable mailbox.</summary>
    Unparsable,
}
