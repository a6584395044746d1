namespace MailAuth.Reports;

/// <summary>
/// The DMARC-aligned result of one mechanism in policy_evaluated (RFC 9990; "DMARCResultType" in the
/// older RFC 7489 Appendix C schema): Pass means the mechanism passed AND its domain is aligned with the From domain.
/// </summary>
public enum ReportDmarcResult
{
    Unknown,
    Pass,
    Fail,
}
