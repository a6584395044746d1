namespace MailAuth.Spf;

/// <summary>The eight mechanisms of RFC 7208 §5.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum SpfMechanismKind : long
{
    /// <summary>§5.1 "all": always matches.</summary>
    All,
    /// <summary>§5.2 "include": matches when check_host() of another domain passes.</summary>
    Include,
    /// <summary>§5.3 "a": matches the address records of a name.</summary>
    A,
    /// <summary>§5.4 "mx": matches the addresses of a name's MX hosts.</summary>
    Mx,
    /// <summary>§5.5 "ptr": matches a validated reverse name (do not use).</summary>
    Ptr,
    /// <summary>§5.6 "ip4": matches an IPv4 network.</summary>
    Ip4,
    /// <summary>§5.6 "ip6": matches an IPv6 network.</summary>
    Ip6,
    /// <summary>§5.7 "exists": matches when a name has an A record.</summary>
    Exists,
}
