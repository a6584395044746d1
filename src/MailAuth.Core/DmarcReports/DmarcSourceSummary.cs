using System.Collections.Generic;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.DmarcReports;

/// <summary>
/// What aggregate reports say about one sending IP address: its messages by DMARC result and by
/// aligned identifier (RFC 9989 §4.4), the domains it used, and what to change when it fails alignment.
/// </summary>
public sealed class DmarcSourceSummary
{
    internal DmarcSourceSummary(string sourceIP, string hostName, RecordStatus? hostStatus, DnsErrorKind hostErrorKind, string hostOrganizationalDomain,
        long messageCount, long dmarcPass, long dmarcFail, long bothAligned, long dkimAlignedOnly, long spfAlignedOnly, long neitherAligned,
        long spfPassNotAligned, long dkimPassNotAligned, IReadOnlyList<string> headerFrom, IReadOnlyList<string> envelopeFrom,
        IReadOnlyList<string> dkimDomains, IReadOnlyList<string> reporters, long recordCount, string diagnosis,
        IReadOnlyList<string> senderRequirementFailures, long senderRequirementFailed)
    {
        SourceIP = sourceIP;
        HostName = hostName;
        HostStatus = hostStatus;
        HostErrorKind = hostErrorKind;
        HostOrganizationalDomain = hostOrganizationalDomain;
        MessageCount = messageCount;
        DmarcPass = dmarcPass;
        DmarcFail = dmarcFail;
        BothAligned = bothAligned;
        DkimAlignedOnly = dkimAlignedOnly;
        SpfAlignedOnly = spfAlignedOnly;
        NeitherAligned = neitherAligned;
        SpfPassNotAligned = spfPassNotAligned;
        DkimPassNotAligned = dkimPassNotAligned;
        HeaderFrom = ReadOnlyArray.From(headerFrom);
        EnvelopeFrom = ReadOnlyArray.From(envelopeFrom);
        DkimDomains = ReadOnlyArray.From(dkimDomains);
        Reporters = ReadOnlyArray.From(reporters);
        RecordCount = recordCount;
        Diagnosis = diagnosis;
        SenderRequirementFailures = ReadOnlyArray.From(senderRequirementFailures);
        SenderRequirementFailed = senderRequirementFailed;
    }

    public string SourceIP { get; }

    /// <summary>The PTR name of the address (with -ResolveHost); null when not looked up or not found.</summary>
    public string HostName { get; }

    /// <summary>Found, NotFound (no PTR), or Error (the lookup failed: see HostErrorKind); null when not looked up.</summary>
    public RecordStatus? HostStatus { get; }

    public DnsErrorKind HostErrorKind { get; }

    /// <summary>The organizational domain of <see cref="HostName"/> (RFC 7489 §3.2), e.g. amazonses.com.</summary>
    public string HostOrganizationalDomain { get; }

    public long MessageCount { get; }
    public long DmarcPass { get; }
    public long DmarcFail { get; }

    /// <summary>Messages where both DKIM and SPF passed aligned.</summary>
    public long BothAligned { get; }

    /// <summary>Messages where only DKIM passed aligned.</summary>
    public long DkimAlignedOnly { get; }

    /// <summary>Messages where only SPF passed aligned.</summary>
    public long SpfAlignedOnly { get; }

    /// <summary>Messages where neither passed aligned: they fail DMARC.</summary>
    public long NeitherAligned { get; }

    /// <summary>Messages whose SPF passed for a domain not aligned with the From domain (an ESP's own bounce domain).</summary>
    public long SpfPassNotAligned { get; }

    /// <summary>Messages with a passing DKIM signature whose d= is not aligned with the From domain.</summary>
    public long DkimPassNotAligned { get; }

    public IReadOnlyList<string> HeaderFrom { get; }
    public IReadOnlyList<string> EnvelopeFrom { get; }
    public IReadOnlyList<string> DkimDomains { get; }

    /// <summary>The organizations whose reports mention this source.</summary>
    public IReadOnlyList<string> Reporters { get; }

    /// <summary>How many report records were summed.</summary>
    public long RecordCount { get; }

    /// <summary>What the figures mean and what to change.</summary>
    public string Diagnosis { get; }

    /// <summary>
    /// The sender requirements Google's reports say this source failed, most messages first, each as
    /// "code Requirement: messages" (e.g. "550-5.7.30 Dkim: 12"); see <see cref="SenderRequirementVerdict"/>.
    /// </summary>
    public IReadOnlyList<string> SenderRequirementFailures { get; }

    /// <summary>Messages from this source that a reporter said failed a sender requirement.</summary>
    public long SenderRequirementFailed { get; }

    public override string ToString() => $"{SourceIP} {MessageCount} ({DmarcFail} fail)";
}
