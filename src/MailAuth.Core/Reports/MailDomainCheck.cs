namespace MailAuth.Reports;

/// <summary>
/// One row of Test-MailDomain: a check of a domain (Check, e.g. "Spf.All" or "Gmail.Dmarc"), its
/// status, what was found and what to change (Detail), and where the requirement comes from (Reference).
/// The domain's summary is a row too, with Check "Summary".
/// </summary>
public sealed class MailDomainCheck
{
    internal MailDomainCheck(string domain, string check, MailDomainCheckStatus status, string detail, string reference, bool checkable = true)
    {
        Domain = domain;
        Check = check;
        Status = status;
        Detail = detail;
        Reference = reference;
        Checkable = checkable;
    }

    public string Domain { get; }

    /// <summary>What was checked: Spf.Present, Spf.Valid, Spf.Limits, Spf.All, Dmarc.Present, Dmarc.Policy, Dmarc.Reporting,
    /// Dkim.&lt;selector&gt;, Mx, &lt;Provider&gt;.Authentication, .Dmarc, .Alignment, .ReverseDns, .Unsubscribe, Summary.</summary>
    public string Check { get; }

    public MailDomainCheckStatus Status { get; }

    /// <summary>What was found, and what to change when it is not a Pass.</summary>
    public string Detail { get; }

    /// <summary>The RFC section or provider guideline the check comes from.</summary>
    public string Reference { get; }

    /// <summary>False for requirements that the DNS cannot show (PTR of the sending IPs, one-click unsubscribe): noted, not judged.</summary>
    public bool Checkable { get; }

    public override string ToString() => $"{Domain} {Check} {Status}";
}
