using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;
using MailAuth.Dns;
using MailAuth.Publishing;

namespace MailAuth.Ses;

/// <summary>One required record of an SES sending domain, compared with the live DNS (a row of Test-SesDomainSetup).</summary>
public sealed class SesRecordCheck
{
    public SesRecordCheck(string identity, string name, string type, string expected, string found, SesRecordCheckStatus status,
        string purpose, string message, DnsErrorKind errorKind = DnsErrorKind.None, IReadOnlyList<DnsChange> changes = null,
        string code = null, string region = null)
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
        Changes = ReadOnlyArray.From(status == SesRecordCheckStatus.Ok ? null : changes);
        Code = code ?? string.Empty;
        Region = region ?? string.Empty;
    }

    /// <summary>The SES identity the record belongs to.</summary>
    public string Identity { get; }
    /// <summary>The SES region whose setup the row checks; empty when it is not known (no API, no MAIL FROM MX to infer it from).</summary>
    public string Region { get; }
    /// <summary>The owner name of the record.</summary>
    public string Name { get; }
    /// <summary>CNAME, MX or TXT.</summary>
    public string Type { get; }
    /// <summary>The value that should be there.</summary>
    public string Expected { get; }
    /// <summary>What the DNS holds (several records separated by " | "); empty when none.</summary>
    public string Found { get; }
    /// <summary>Ok, Missing, Mismatch, Conflict, Error or NotChecked.</summary>
    public SesRecordCheckStatus Status { get; }
    /// <summary>Easy DKIM, BYODKIM, MAIL FROM MX, MAIL FROM SPF, DMARC.</summary>
    public string Purpose { get; }
    /// <summary>What is wrong and what to change; empty when Ok.</summary>
    public string Message { get; }
    /// <summary>The stable code of a mistake the row names (e.g. SesMailFromMxSubmissionHost); the verdict has a finding with the same code. Empty otherwise.</summary>
    public string Code { get; }
    /// <summary>Why the lookup failed, when <see cref="Status"/> is Error.</summary>
    public DnsErrorKind ErrorKind { get; }

    /// <summary>
    /// The DNS changes that make the row Ok, in order; empty when Ok or when no fix is known (a lookup failed, the
    /// value is only known to SES). Every Replace and Delete names a value shown in <see cref="Found"/>.
    /// </summary>
    public IReadOnlyList<DnsChange> Changes { get; }

    /// <summary>The change that publishes the expected record (the first of <see cref="Changes"/>); null when there is none.</summary>
    public DnsChange Change => Changes.FirstOrDefault();
}
