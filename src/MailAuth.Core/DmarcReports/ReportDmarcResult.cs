namespace MailAuth.DmarcReports;

/// <summary>
/// The DMARC-aligned result of one mechanism in policy_evaluated (RFC 9990; "DMARCResultType" in the
/// older RFC 7489 Appendix C schema): Pass means the mechanism passed AND its domain is aligned with the From domain.
/// </summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum ReportDmarcResult : long
{
    Unknown,
    Pass,
    Fail,
}
