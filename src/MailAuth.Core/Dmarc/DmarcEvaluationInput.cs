using System.Collections.Generic;
using MailAuth.Spf;

namespace MailAuth.Dmarc;

/// <summary>
/// What DMARC evaluation needs from the rest of message authentication (RFC 9989 §5.3, steps 1, 3 and 4 of determining the
/// handling policy): the From domain, the domain SPF checked and its result, and the domains of the DKIM signatures that verified.
/// </summary>
public sealed class DmarcEvaluationInput
{
    public DmarcEvaluationInput()
    {
    }

    public DmarcEvaluationInput(string headerFromDomain, string spfDomain, SpfResult spfResult, IEnumerable<string> dkimPassingDomains)
    {
        HeaderFromDomain = headerFromDomain;
        SpfDomain = spfDomain;
        SpfResult = spfResult;
        if (dkimPassingDomains != null) DkimPassingDomains = new List<string>(dkimPassingDomains);
    }

    /// <summary>The RFC5322.From domain (or address).</summary>
    public string HeaderFromDomain { get; set; }

    /// <summary>The domain SPF checked: the RFC5321.MailFrom domain (or postmaster@HELO for a null path).</summary>
    public string SpfDomain { get; set; }

    /// <summary>The SPF result for <see cref="SpfDomain"/> (RFC 7208 §2.6); None when SPF was not checked.</summary>
    public SpfResult SpfResult { get; set; }

    /// <summary>The d= domains of the DKIM signatures that verified (result pass).</summary>
    public IList<string> DkimPassingDomains { get; set; } = new List<string>();

    /// <summary>A DKIM signature could not be verified because of a temporary failure (DKIM temperror).</summary>
    public bool DkimTempError { get; set; }

    /// <summary>
    /// Legacy mode only: the sample (0-99) compared with pct= (RFC 7489 §6.6.4); the message is subject to the
    /// policy when it is below pct. Null draws one at random.
    /// </summary>
    public int? PercentageSample { get; set; }

    internal bool SpfPassed => SpfResult == SpfResult.Pass;
    internal bool SpfTempError => SpfResult == SpfResult.TempError;
}
