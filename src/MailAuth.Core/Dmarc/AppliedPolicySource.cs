namespace MailAuth.Dmarc;

/// <summary>Which tag of the discovered record gives the policy for the domain asked about (RFC 9989 §4.10.1).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum AppliedPolicySource : long
{
    /// <summary>No policy applies.</summary>
    None = 0,
    /// <summary>p=: the record is the domain's own.</summary>
    Policy = 1,
    /// <summary>sp=: the record is inherited and the domain exists.</summary>
    SubdomainPolicy = 2,
    /// <summary>np=: the record is inherited and the domain does not exist.</summary>
    NonExistentSubdomainPolicy = 3,
}
