namespace MailAuth.Reports;

/// <summary>A DKIM verification result as reported in auth_results (RFC 7489 Appendix C "DKIMResultType", RFC 8601 §2.7.1).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum ReportDkimResult : long
{
    Unknown,
    None,
    Pass,
    Fail,
    Policy,
    Neutral,
    TempError,
    PermError,
}
