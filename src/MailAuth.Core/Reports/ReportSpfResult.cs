namespace MailAuth.Reports;

/// <summary>
/// An SPF result as reported in auth_results (RFC 7489 Appendix C "SPFResultType", RFC 7208 §2.6).
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
