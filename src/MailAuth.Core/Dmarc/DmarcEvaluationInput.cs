using System;
using System.Collections.Generic;

namespace MailAuth.Dmarc;

/// <summary>
/// What DMARC evaluation needs from the rest of message authentication (RFC 9989 §4.8 steps 1, 3 and 4),
/// in plain strings so that any SPF or DKIM implementation can supply it.
/// </summary>
public sealed class DmarcEvaluationInput
{
    public DmarcEvaluationInput()
    {
    }

    public DmarcEvaluationInput(string headerFromDomain, string spfDomain, string spfResult, IEnumerable<string> dkimPassingDomains)
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

    /// <summary>The SPF result as RFC 7208 names it: pass, fail, softfail, neutral, none, temperror, permerror (case-insensitive).</summary>
    public string SpfResult { get; set; }

    /// <summary>The d= domains of the DKIM signatures that verified (result pass).</summary>
    public IList<string> DkimPassingDomains { get; set; } = new List<string>();

    /// <summary>A DKIM signature could not be verified because of a temporary failure (DKIM temperror).</summary>
    public bool DkimTempError { get; set; }

    /// <summary>
    /// Legacy mode only: the sample (0-99) compared with pct= (RFC 7489 §6.6.4); the message is subject to the
    /// policy when it is below pct. Null draws one at random.
    /// </summary>
    public int? PercentageSample { get; set; }

    internal bool SpfPassed => string.Equals(SpfResult?.Trim(), "pass", StringComparison.OrdinalIgnoreCase);
    internal bool SpfTempError => string.Equals(SpfResult?.Trim(), "temperror", StringComparison.OrdinalIgnoreCase);
}
