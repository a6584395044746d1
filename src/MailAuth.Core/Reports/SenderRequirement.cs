using System;

namespace MailAuth.Reports;

/// <summary>
/// The mailbox providers' published requirements for bulk senders that Test-MailDomain checks:
/// Gmail's and Yahoo's of February 2024, Microsoft's (Outlook.com) of May 2025.
/// </summary>
[Flags]
public enum SenderRequirement
{
    None = 0,
    Gmail = 1,
    Yahoo = 2,
    Microsoft = 4,
    All = Gmail | Yahoo | Microsoft,
}
