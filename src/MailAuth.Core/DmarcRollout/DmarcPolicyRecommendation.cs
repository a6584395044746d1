using System;
using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.DmarcRollout;

/// <summary>
/// The next DMARC record for one domain on its way to an enforcing policy, with the reasons and the RFC 9989 sections
/// they follow: p=none, then p=quarantine; t=y, p=quarantine, p=reject; t=y, p=reject, each step only when no source
/// still needs a fix (§5.1.5, §5.1.6) and the reports cover enough days at the current step (§7.4).
/// </summary>
public sealed class DmarcPolicyRecommendation
{
    internal DmarcPolicyRecommendation(string domain, EnforcementPolicy policy, RolloutVerdict verdict, string currentRecord, string nextRecord,
        bool change, long messages, long dmarcPass, long wouldBeAffected, long alignedBySpfOnly, long senderRequirementFailed,
        int sourcesToFix, DateTime? firstSeen, DateTime? lastSeen, int daysOfEvidence, int daysAtCurrentPolicy,
        IReadOnlyList<string> reasons, IReadOnlyList<string> references, IReadOnlyList<DmarcSourceImpact> sources, IReadOnlyList<DmarcDailyVolume> daily)
    {
        Domain = domain;
        Policy = policy;
        Verdict = verdict;
        CurrentRecord = currentRecord;
        NextRecord = nextRecord;
        Change = change;
        Messages = messages;
        DmarcPass = dmarcPass;
        WouldBeAffected = wouldBeAffected;
        AlignedBySpfOnly = alignedBySpfOnly;
        SenderRequirementFailed = senderRequirementFailed;
        SourcesToFix = sourcesToFix;
        FirstSeen = firstSeen;
        LastSeen = lastSeen;
        DaysOfEvidence = daysOfEvidence;
        DaysAtCurrentPolicy = daysAtCurrentPolicy;
        Reasons = ReadOnlyArray.From(reasons);
        References = ReadOnlyArray.From(references);
        Sources = ReadOnlyArray.From(sources);
        Daily = ReadOnlyArray.From(daily);
    }

    /// <summary>The domain of the published policy.</summary>
    public string Domain { get; }

    /// <summary>The policy the domain is heading for.</summary>
    public EnforcementPolicy Policy { get; }

    /// <summary>Ready (publish <see cref="NextRecord"/>), FixFirst (see <see cref="Reasons"/> and the sources' Fix) or NotEnoughEvidence.</summary>
    public RolloutVerdict Verdict { get; }

    /// <summary>The policy tags the latest report found published, e.g. "p=none"; null when no report says.</summary>
    public string CurrentRecord { get; }

    /// <summary>The policy tags to publish now (keep the record's other tags, rua= above all); the current ones when it is not time to change.</summary>
    public string NextRecord { get; }

    /// <summary>Whether <see cref="NextRecord"/> differs from the current policy.</summary>
    public bool Change { get; }

    public long Messages { get; }
    public long DmarcPass { get; }

    /// <summary>Messages the policy would quarantine or reject (see <see cref="DmarcSourceImpact.WouldBeAffected"/>), spoofing included.</summary>
    public long WouldBeAffected { get; }

    public long AlignedBySpfOnly { get; }
    public long SenderRequirementFailed { get; }

    /// <summary>How many sources have the verdict FixFirst.</summary>
    public int SourcesToFix { get; }

    public DateTime? FirstSeen { get; }
    public DateTime? LastSeen { get; }

    /// <summary>The distinct UTC days the domain's reports in the window cover.</summary>
    public int DaysOfEvidence { get; }

    /// <summary>Of those, the days whose reports found the current policy published.</summary>
    public int DaysAtCurrentPolicy { get; }

    /// <summary>Why, in sentences, each with what to do.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>The RFC 9989 sections the recommendation follows.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>Every sending source of the domain, those to fix first.</summary>
    public IReadOnlyList<DmarcSourceImpact> Sources { get; }

    /// <summary>Messages and DMARC passes per day, oldest first.</summary>
    public IReadOnlyList<DmarcDailyVolume> Daily { get; }

    public override string ToString() => $"{Domain} {Verdict} {NextRecord}";
}
