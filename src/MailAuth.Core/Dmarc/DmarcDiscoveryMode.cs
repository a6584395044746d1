namespace MailAuth.Dmarc;

/// <summary>How the DMARC record and the Organizational Domain of a name are found.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum DmarcDiscoveryMode : long
{
    /// <summary>RFC 9989 §4.10: the DNS Tree Walk, at most 8 queries, psd= tags mark public-suffix boundaries.</summary>
    TreeWalk = 0,

    /// <summary>RFC 7489 §6.6.3 (legacy): <c>_dmarc.&lt;domain&gt;</c>, then <c>_dmarc.&lt;organizational domain&gt;</c> from the Public Suffix List.</summary>
    Psl = 1,
}
