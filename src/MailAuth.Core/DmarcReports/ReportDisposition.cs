namespace MailAuth.DmarcReports;

/// <summary>
/// The action a receiver applied to the messages of a record (policy_evaluated/disposition;
/// RFC 9990 "ActionDispositionType", which adds "pass" to the older RFC 7489 Appendix C "DispositionType").
/// </summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum ReportDisposition : long
{
    /// <summary>The element was absent or held a value no schema defines.</summary>
    Unknown,
    None,
    /// <summary>RFC 9990: no action, the messages passed DMARC under an enforcing policy.</summary>
    Pass,
    Quarantine,
    Reject,
}
