namespace MailAuth.Ses;

/// <summary>How a required record compares with what the DNS holds.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum SesRecordCheckStatus : long
{
    /// <summary>Published as required.</summary>
    Ok = 0,
    /// <summary>The DNS answered that there is no such record.</summary>
    Missing = 1,
    /// <summary>A record is there but has the wrong value.</summary>
    Mismatch = 2,
    /// <summary>A second record competes with the required one (two MX, two SPF or DMARC records).</summary>
    Conflict = 3,
    /// <summary>The lookup failed (timeout, SERVFAIL): we could not find out. Never read as Missing.</summary>
    Error = 4,
    /// <summary>
    /// Not checked: what should be there is not known from DNS alone (the Easy DKIM tokens, the region) and the SES API
    /// was not asked. Says nothing about the record; never read as Missing.
    /// </summary>
    NotChecked = 5,
}
