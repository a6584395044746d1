namespace MailAuth.Common;

/// <summary>
/// Whether a lookup found what it looked for. <see cref="NotFound"/> means the DNS answered
/// that there is none; <see cref="Error"/> means we could not find out (timeout, SERVFAIL, ...).
/// </summary>
// Based on long: ConvertTo-Json writes a long-based enum as its name, not as a number.
public enum RecordStatus : long
{
    Found = 0,
    NotFound = 1,
    Error = 2,
}
