namespace MailAuth.Spf;

/// <summary>The result of check_host() (RFC 7208 §2.6).</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum SpfResult : long
{
    /// <summary>§2.6.1: no SPF record, or no checkable domain.</summary>
    None = 0,
    /// <summary>§2.6.2: the domain makes no assertion about the client ("?" or nothing matched).</summary>
    Neutral,
    /// <summary>§2.6.3: the client is authorized.</summary>
    Pass,
    /// <summary>§2.6.4: the client is not authorized.</summary>
    Fail,
    /// <summary>§2.6.5: probably not authorized ("~").</summary>
    SoftFail,
    /// <summary>§2.6.6: a transient DNS error; a later retry may succeed.</summary>
    TempError,
    /// <summary>§2.6.7: the published records could not be interpreted.</summary>
    PermError,
}
