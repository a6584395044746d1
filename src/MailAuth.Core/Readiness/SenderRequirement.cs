using System;

namespace MailAuth.Readiness;

/// <summary>
/// The mailbox providers' published requirements for bulk senders that Test-MailDomain checks:
/// Gmail's and Yahoo's of February 2024, Microsoft's (Outlook.com) of May 2025.
/// </summary>
[Flags]
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum SenderRequirement : long
{
    None = 0,
    Gmail = 1,
    Yahoo = 2,
    Microsoft = 4,
    All = Gmail | Yahoo | Microsoft,
}
