namespace MailAuth.DmarcReports;

/// <summary>
/// One SPF result, uninterpreted with respect to DMARC (auth_results/spf;
/// RFC 9990; "SPFAuthResultType" in the older RFC 7489 Appendix C schema).
/// </summary>
public sealed class SpfAuthResult
{
    internal SpfAuthResult(string domain, string scope, ReportSpfResult result, string humanResult)
    {
        Domain = domain;
        Scope = scope;
        Result = result;
        HumanResult = humanResult;
    }

    /// <summary>The domain SPF checked: the MAIL FROM domain, or the HELO name.</summary>
    public string Domain { get; }

    /// <summary>"mfrom" or "helo"; absent in the pre-RFC draft and optional in RFC 9990.</summary>
    public string Scope { get; }

    public ReportSpfResult Result { get; }

    /// <summary>Free text from the receiver, e.g. from Authentication-Results.</summary>
    public string HumanResult { get; }

    public override string ToString() => $"{Domain}{(string.IsNullOrEmpty(Scope) ? "" : " (" + Scope + ")")} {Result}";
}
