namespace MailAuth.Readiness;

/// <summary>The outcome of one readiness check of a sending domain.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum MailDomainCheckStatus : long
{
    /// <summary>The domain meets the check: nothing to change.</summary>
    Ok,
    /// <summary>It works, but should change.</summary>
    Warning,
    /// <summary>The domain does not meet the check: receivers will notice.</summary>
    Fail,
    /// <summary>The DNS could not be asked (timeout, SERVFAIL): nothing is known, which is not a Fail.</summary>
    Error,
    /// <summary>A requirement the DNS cannot show (PTR of the sending IPs, one-click unsubscribe): noted, not judged.</summary>
    NotCheckable,
}
