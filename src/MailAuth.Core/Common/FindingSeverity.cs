namespace MailAuth.Common;

/// <summary>How much a finding matters to whether mail will authenticate.</summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum FindingSeverity : long
{
    /// <summary>Worth knowing; nothing to change.</summary>
    Info = 0,
    /// <summary>Works today but is fragile, deprecated or weaker than receivers expect.</summary>
    Warning = 1,
    /// <summary>Breaks authentication or violates the RFC: receivers will not honour it.</summary>
    Error = 2,
}
