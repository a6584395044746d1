using System;
using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// A receiver's DMARC verdict on one message (RFC 9989 §5.3): the result, the policy record and where it
/// was found, the policy applied (p=, sp= or np=), the disposition, and which identifiers aligned.
/// </summary>
public sealed class DmarcEvaluation
{
    internal DmarcEvaluation(DmarcResult result, string headerFromDomain, string recordDomain, DmarcPolicyRecord record, DmarcPolicy? appliedPolicy,
        AppliedPolicySource appliedPolicySource, DmarcDisposition disposition, bool spfAligned, bool dkimAligned, AlignmentResult spfAlignment,
        IReadOnlyList<AlignmentResult> dkimAlignment, bool testing, bool percentageExcluded, DmarcDiscoveryMode discoveryMode, string reason, IReadOnlyList<Finding> findings)
    {
        Result = result;
        HeaderFromDomain = headerFromDomain;
        RecordDomain = recordDomain;
        Record = record;
        AppliedPolicy = appliedPolicy;
        AppliedPolicySource = appliedPolicySource;
        Disposition = disposition;
        SpfAligned = spfAligned;
        DkimAligned = dkimAligned;
        SpfAlignment = spfAlignment;
        DkimAlignment = ReadOnlyArray.From(dkimAlignment);
        Testing = testing;
        PercentageExcluded = percentageExcluded;
        DiscoveryMode = discoveryMode;
        Reason = reason;
        Findings = ReadOnlyArray.From(findings);
    }

    public DmarcResult Result { get; }

    public string HeaderFromDomain { get; }

    /// <summary>Where the policy record was found.</summary>
    public string RecordDomain { get; }

    /// <summary>The policy record used; null when none applies.</summary>
    public DmarcPolicyRecord Record { get; }

    /// <summary>The policy for the From domain: p=, or sp=/np= for an inherited record (RFC 9989 §4.10.1).</summary>
    public DmarcPolicy? AppliedPolicy { get; }

    public AppliedPolicySource AppliedPolicySource { get; }

    /// <summary>What a receiver following the policy does: none for pass, temperror or no policy; one level below the policy for t=y.</summary>
    public DmarcDisposition Disposition { get; }

    /// <summary>SPF passed for a MAIL FROM domain aligned with From.</summary>
    public bool SpfAligned { get; }

    /// <summary>A DKIM signature verified for a d= domain aligned with From.</summary>
    public bool DkimAligned { get; }

    /// <summary>The SPF alignment check, when SPF passed.</summary>
    public AlignmentResult SpfAlignment { get; }

    /// <summary>The alignment check of each passing DKIM signing domain.</summary>
    public IReadOnlyList<AlignmentResult> DkimAlignment { get; }

    /// <summary>t=y (RFC 9989 §4.7): the policy is not applied.</summary>
    public bool Testing { get; }

    /// <summary>Legacy mode: pct= sampling took the message out of the policy, so the next lower policy applied (RFC 7489 §6.6.4).</summary>
    public bool PercentageExcluded { get; }

    public DmarcDiscoveryMode DiscoveryMode { get; }

    /// <summary>Why the result is what it is.</summary>
    public string Reason { get; }

    public IReadOnlyList<Finding> Findings { get; }

    public override string ToString() => $"dmarc={Result.ToString().ToLowerInvariant()} header.from={HeaderFromDomain}";
}
