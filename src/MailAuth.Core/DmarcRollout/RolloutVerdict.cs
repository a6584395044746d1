namespace MailAuth.DmarcRollout;

/// <summary>What the reports say about moving a domain, or one of its sending sources, to an enforcing policy.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum RolloutVerdict : long
{
    /// <summary>Nothing found that enforcement would break, over enough days and messages.</summary>
    Ready = 0,

    /// <summary>Mail that is probably yours would be quarantined or rejected, or passes only by SPF: fix it before the next step (RFC 9989 §5.1.6).</summary>
    FixFirst = 1,

    /// <summary>Nothing to fix, but the reports cover too few days or messages to say so.</summary>
    NotEnoughEvidence = 2,

    /// <summary>
    /// A source (never a domain) whose failing mail authenticates as nobody: spoofing, which enforcement is meant to stop,
    /// or a server of yours with neither SPF nor DKIM set up. It does not hold back the domain.
    /// </summary>
    Unauthenticated = 3,
}
