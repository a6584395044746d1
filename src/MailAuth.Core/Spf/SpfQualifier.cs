namespace MailAuth.Spf;

/// <summary>The qualifier in front of a mechanism (RFC 7208 §4.6.2): the result when it matches.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum SpfQualifier : long
{
    /// <summary>"+", the default when no qualifier is written.</summary>
    Pass = 0,
    /// <summary>"-".</summary>
    Fail,
    /// <summary>"~".</summary>
    SoftFail,
    /// <summary>"?".</summary>
    Neutral,
}
