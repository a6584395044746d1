namespace MailAuth.Ses;

/// <summary>The verdict on an SES sending domain, in the words Test-MailDomain uses, so that <c>Where-Object Status -ne Ok</c> lists every problem.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum SesDomainVerdictStatus : long
{
    /// <summary>DMARC passes and nothing needs to change.</summary>
    Ok = 0,
    /// <summary>DMARC passes, but something should change (e.g. SPF does not align, a key could not be looked up).</summary>
    Warning = 1,
    /// <summary>DMARC will not pass (no record, not aligned, a broken record) or SES will reject mail.</summary>
    Fail = 2,
    /// <summary>The DMARC policy could not be looked up: nothing is known, which is not a Fail.</summary>
    Error = 3,
}
