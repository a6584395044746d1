namespace MailAuth.DmarcReports;

/// <summary>Which aggregate-report schema a report was written in.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum ReportSchema : long
{
    /// <summary>The pre-RFC draft (dmarc.org "dmarc-xml/0.1", no &lt;version&gt; element), still sent by some receivers.</summary>
    Draft,

    /// <summary>RFC 7489 Appendix C (&lt;version&gt;1.0&lt;/version&gt;, no namespace).</summary>
    Rfc7489,

    /// <summary>RFC 9990 (namespace urn:ietf:params:xml:ns:dmarc-2.0): adds np, testing, discovery_method, generator.</summary>
    Rfc9990,
}
