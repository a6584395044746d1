namespace MailAuth.Spf;

/// <summary>The qualifier in front of a mechanism (RFC 7208 §4.6.2): the result when it matches.</summary>
public enum SpfQualifier
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
