namespace MailAuth.DmarcReports;

/// <summary>
/// One DKIM signature's result, uninterpreted with respect to DMARC (auth_results/dkim;
/// RFC 9990; "DKIMAuthResultType" in the older RFC 7489 Appendix C schema).
/// </summary>
public sealed class DkimAuthResult
{
    internal DkimAuthResult(string domain, string selector, ReportDkimResult result, string humanResult)
    {
        Domain = domain;
        Selector = selector;
        Result = result;
        HumanResult = humanResult;
    }

    /// <summary>The signing domain (d=).</summary>
    public string Domain { get; }

    /// <summary>The selector (s=); optional in RFC 7489, required in RFC 9990.</summary>
    public string Selector { get; }

    public ReportDkimResult Result { get; }

    /// <summary>Free text from the receiver, e.g. from Authentication-Results.</summary>
    public string HumanResult { get; }

    public override string ToString() => $"{Domain}{(string.IsNullOrEmpty(Selector) ? "" : " s=" + Selector)} {Result}";
}
