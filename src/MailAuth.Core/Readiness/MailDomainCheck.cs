namespace MailAuth.Readiness;

/// <summary>
/// One row of Test-MailDomain: a check of a domain (Check, e.g. "Spf.All" or "Gmail.Dmarc"), its
/// status, what was found and what to change (Detail), and where the requirement comes from (Reference).
/// The domain's summary is a row too, with Check "Summary".
/// </summary>
public sealed class MailDomainCheck
{
    internal MailDomainCheck(string domain, string check, MailDomainCheckStatus status, string detail, string reference)
    {
        Domain = domain;
        Check = check;
        Status = status;
        Detail = detail;
        Reference = reference;
    }

    public string Domain { get; }

    /// <summary>What was checked: Spf.Present, Spf.Valid, Spf.Limits, Spf.All, Dmarc.Present, Dmarc.Policy, Dmarc.Reporting,
    /// Dkim.&lt;selector&gt;, Mx, &lt;Provider&gt;.Authentication, .Dmarc, .Alignment, .ReverseDns, .Unsubscribe, Summary.</summary>
    public string Check { get; }

    /// <summary>Ok, Warning, Fail, Error (a lookup failed) or NotCheckable; <c>Where-Object Status -ne Ok</c> lists what needs attention.</summary>
    public MailDomainCheckStatus Status { get; }

    /// <summary>What was found, and what to change when it is not Ok.</summary>
    public string Detail { get; }

    /// <summary>The RFC section or provider guideline the check comes from.</summary>
    public string Reference { get; }

    /// <summary>False for requirements that the DNS cannot show (PTR of the sending IPs, one-click unsubscribe): Status NotCheckable, noted, not judged.</summary>
    public bool Checkable => Status != MailDomainCheckStatus.NotCheckable;

    public override string ToString() => $"{Domain} {Check} {Status}";
}
