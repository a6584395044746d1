namespace MailAuth.DmarcReports;

/// <summary>
/// The DMARC policy the receiver found for the domain while it gathered the report
/// (policy_published; RFC 9990; "PolicyPublishedType" in the older RFC 7489 Appendix C schema).
/// Tags absent from the report are null: the report does not say, which is not the same as the default.
/// </summary>
public sealed class PolicyPublished
{
    internal PolicyPublished(string domain, string adkim, string aspf, ReportDisposition? p, ReportDisposition? sp, ReportDisposition? np,
        int? pct, string fo, bool? testing, string psd, string discoveryMethod)
    {
        Domain = domain;
        Adkim = adkim;
        Aspf = aspf;
        P = p;
        Sp = sp;
        Np = np;
        Pct = pct;
        Fo = fo;
        Testing = testing;
        Psd = psd;
        DiscoveryMethod = discoveryMethod;
    }

    /// <summary>The domain at which the DMARC record was found.</summary>
    public string Domain { get; }

    /// <summary>DKIM alignment mode: "r" (relaxed) or "s" (strict).</summary>
    public string Adkim { get; }

    /// <summary>SPF alignment mode: "r" (relaxed) or "s" (strict).</summary>
    public string Aspf { get; }

    /// <summary>The requested policy for the domain (p=).</summary>
    public ReportDisposition? P { get; }

    /// <summary>The requested policy for subdomains (sp=).</summary>
    public ReportDisposition? Sp { get; }

    /// <summary>The requested policy for non-existent subdomains (np=, RFC 9091, RFC 9990).</summary>
    public ReportDisposition? Np { get; }

    /// <summary>The sampling rate (pct=, RFC 7489 only; RFC 9989 removed it).</summary>
    public int? Pct { get; }

    /// <summary>Failure reporting options (fo=).</summary>
    public string Fo { get; }

    /// <summary>Whether the policy was in test mode (t=y; &lt;testing&gt; in RFC 9990).</summary>
    public bool? Testing { get; }

    /// <summary>The psd= tag of RFC 9989 ("y", "n" or "u"), when the report carries it.</summary>
    public string Psd { get; }

    /// <summary>How the receiver discovered the policy: "psl" (RFC 7489, the legacy mode) or "treewalk" (RFC 9989), RFC 9990.</summary>
    public string DiscoveryMethod { get; }

    public override string ToString() => $"{Domain} p={P}";
}
