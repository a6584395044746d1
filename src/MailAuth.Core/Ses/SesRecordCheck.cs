using MailAuth.Dns;

namespace MailAuth.Ses;

/// <summary>One required record of an SES sending domain, compared with the live DNS (a row of Test-SesDomainSetup).</summary>
public sealed class SesRecordCheck
{
    public SesRecordCheck(string identity, string name, string type, string expected, string found, SesRecordCheckStatus status,
        string purpose, string message, DnsErrorKind errorKind = DnsErrorKind.None)
    {
        Identity = identity;
        Name = name;
        Type = type;
        Expected = expected;
        Found = found ?? string.Empty;
        Status = status;
        Purpose = purpose;
        Message = message ?? string.Empty;
        ErrorKind = errorKind;
    }

    /// <summary>The SES identity the record belongs to.</summary>
    public string Identity { get; }
    /// <summary>The owner name of the record.</summary>
    public string Name { get; }
    /// <summary>CNAME, MX or TXT.</summary>
    public string Type { get; }
    /// <summary>The value that should be there.</summary>
    public string Expected { get; }
    /// <summary>What the DNS holds (several records separated by " | "); empty when none.</summary>
    public string Found { get; }
    /// <summary>Ok, Missing, Mismatch, Conflict or Error.</summary>
    public SesRecordCheckStatus Status { get; }
    /// <summary>Easy DKIM, MAIL FROM MX, MAIL FROM SPF, DMARC.</summary>
    public string Purpose { get; }
    /// <summary>What is wrong and what to change; empty when Ok.</summary>
    public string Message { get; }
    /// <summary>Why the lookup failed, when <see cref="Status"/> is Error.</summary>
    public DnsErrorKind ErrorKind { get; }
}
