namespace MailAuth.DmarcReports;

/// <summary>
/// An SPF result as reported in auth_results (RFC 9990, RFC 7208 §2.6; "SPFResultType" in the older RFC 7489 Appendix C schema).
/// Reports often say "unknown" for TempError and "error" for PermError; both are read as such.
/// </summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum ReportSpfResult : long
{
    Unknown,
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}
