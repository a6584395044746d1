namespace MailAuth.Records;

/// <summary>
/// Whether a lookup found what it looked for. <see cref="NotFound"/> means the DNS answered
/// that there is none; <see cref="Error"/> means we could not find out (timeout, SERVFAIL, ...).
/// </summary>
public enum RecordStatus
{
    Found = 0,
    NotFound = 1,
    Error = 2,
}
