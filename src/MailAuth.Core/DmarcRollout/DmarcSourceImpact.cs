using System;
using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.DmarcRollout;

/// <summary>
/// What an enforcing DMARC policy would do to the mail of one sending source of a domain, as the aggregate reports
/// tell it: a source is the addresses of one organization by their reverse-DNS names (all Amazon SES hosts of one
/// region are one source), or one address when its name is unknown.
/// </summary>
public sealed class DmarcSourceImpact
{
    internal DmarcSourceImpact(string domain, EnforcementPolicy policy, string source, string sesRegion, RecordStatus? hostStatus,
        IReadOnlyList<string> sourceIPs, IReadOnlyList<string> hostNames, long messages, long dmarcPass, long dmarcFail, long wouldBeAffected,
        long alignedBySpfOnly, long alignedByDkim, IReadOnlyList<string> overrides, DateTime? firstSeen, DateTime? lastSeen, int daysOfEvidence,
        IReadOnlyList<string> senderRequirementFailures, long senderRequirementFailed, RolloutVerdict verdict, string fix, IReadOnlyList<string> headerFrom)
    {
        Domain = domain;
        Policy = policy;
        Source = source;
        SesRegion = sesRegion;
        HostStatus = hostStatus;
        SourceIPs = ReadOnlyArray.From(sourceIPs);
        HostNames = ReadOnlyArray.From(hostNames);
        Messages = messages;
        DmarcPass = dmarcPass;
        DmarcFail = dmarcFail;
        WouldBeAffected = wouldBeAffected;
        AlignedBySpfOnly = alignedBySpfOnly;
        AlignedByDkim = alignedByDkim;
        Overrides = ReadOnlyArray.From(overrides);
        FirstSeen = firstSeen;
        LastSeen = lastSeen;
        DaysOfEvidence = daysOfEvidence;
        SenderRequirementFailures = ReadOnlyArray.From(senderRequirementFailures);
        SenderRequirementFailed = senderRequirementFailed;
        Verdict = verdict;
        Fix = fix;
        HeaderFrom = ReadOnlyArray.From(headerFrom);
    }

    /// <summary>The domain of the published policy the reports are about (policy_published/domain).</summary>
    public string Domain { get; }

    /// <summary>The policy whose impact is measured.</summary>
    public EnforcementPolicy Policy { get; }

    /// <summary>
    /// Who sends: the organizational domain of the hosts' reverse-DNS names (e.g. "sendgrid.net"), "amazonses.com
    /// (us-east-1)" for Amazon SES, or the address itself when it has no PTR, its lookup failed, or names were not looked up.
    /// </summary>
    public string Source { get; }

    /// <summary>The Amazon SES region of the source's hosts (from *.smtp-out.&lt;region&gt;.amazonses.com); null for others.</summary>
    public string SesRegion { get; }

    /// <summary>Found when the source is named by its PTR names, NotFound when the address has none, Error when the lookup failed; null when names were not looked up (-Offline).</summary>
    public RecordStatus? HostStatus { get; }

    /// <summary>The addresses the source sent from.</summary>
    public IReadOnlyList<string> SourceIPs { get; }

    /// <summary>The reverse-DNS names of those addresses.</summary>
    public IReadOnlyList<string> HostNames { get; }

    /// <summary>Messages the reports count for this source and domain.</summary>
    public long Messages { get; }

    public long DmarcPass { get; }
    public long DmarcFail { get; }

    /// <summary>
    /// Messages that fail DMARC today and that the policy would quarantine or reject: the failures, less those the
    /// receiver delivered because it recognized forwarding or a mailing list (overrides forwarded, trusted_forwarder,
    /// mailing_list), which it would deliver under any policy.
    /// </summary>
    public long WouldBeAffected { get; }

    /// <summary>Messages that pass DMARC only through SPF: forwarding breaks SPF, and they then fail (RFC 9989 §5.1.2).</summary>
    public long AlignedBySpfOnly { get; }

    /// <summary>Messages that pass DMARC through an aligned DKIM signature.</summary>
    public long AlignedByDkim { get; }

    /// <summary>The receivers' policy overrides with their message counts, e.g. "forwarded: 3", "local_policy: 12".</summary>
    public IReadOnlyList<string> Overrides { get; }

    /// <summary>The start of the earliest report that counts this source, UTC.</summary>
    public DateTime? FirstSeen { get; }

    /// <summary>The end of the latest report that counts this source, UTC.</summary>
    public DateTime? LastSeen { get; }

    /// <summary>The distinct UTC days covered by the reports that count this source.</summary>
    public int DaysOfEvidence { get; }

    /// <summary>Google's sender-requirement verdicts for this source, as "code Requirement: messages" (e.g. "550-5.7.30 Dkim: 12").</summary>
    public IReadOnlyList<string> SenderRequirementFailures { get; }

    /// <summary>Messages a reporter said failed a sender requirement.</summary>
    public long SenderRequirementFailed { get; }

    public RolloutVerdict Verdict { get; }

    /// <summary>What to change before the next step; null when nothing.</summary>
    public string Fix { get; }

    /// <summary>The From domains of the source's messages, most messages first.</summary>
    public IReadOnlyList<string> HeaderFrom { get; }

    public override string ToString() => $"{Domain} {Source} {Verdict}";
}
