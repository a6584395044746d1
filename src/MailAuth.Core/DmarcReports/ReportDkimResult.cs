namespace MailAuth.DmarcReports;

/// <summary>A DKIM verification result as reported in auth_results (RFC 9990, RFC 8601 §2.7.1; "DKIMResultType" in the older RFC 7489 Appendix C schema).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum ReportDkimResult : long{
    Unknown,
    None,
    Pass,
    Fail,
    Policy,
    Neutral,
    TempError,
    PermError,
}
