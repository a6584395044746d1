using System;
using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.DmarcReports;

/// <summary>
/// One &lt;record&gt; of an aggregate report: the messages from one source IP that shared the same
/// identifiers and results (RFC 9990; "RecordType" in the older RFC 7489 Appendix C schema).
/// </summary>
public sealed class DmarcReportRecord
{
    internal DmarcReportRecord(string sourceIP, long count, ReportDisposition disposition, ReportDmarcResult dkimPolicyResult,
        ReportDmarcResult spfPolicyResult, IReadOnlyList<PolicyOverrideReason> reasons, string headerFrom, string envelopeFrom,
        string envelopeTo, IReadOnlyList<DkimAuthResult> dkimResults, IReadOnlyList<SpfAuthResult> spfResults)
    {
        SourceIP = sourceIP;
        Count = count;
        Disposition = disposition;
        DkimPolicyResult = dkimPolicyResult;
        SpfPolicyResult = spfPolicyResult;
        Reasons = ReadOnlyArray.From(reasons);
        HeaderFrom = headerFrom;
        EnvelopeFrom = envelopeFrom;
        EnvelopeTo = envelopeTo;
        DkimResults = ReadOnlyArray.From(dkimResults);
        SpfResults = ReadOnlyArray.From(spfResults);
    }

    /// <summary>The connecting IP address, as the report wrote it.</summary>
    public string SourceIP { get; }

    /// <summary>How many messages this record stands for.</summary>
    public long Count { get; }

    /// <summary>What the receiver did with the messages (policy_evaluated/disposition).</summary>
    public ReportDisposition Disposition { get; }

    /// <summary>policy_evaluated/dkim: Pass when a DKIM signature passed AND its d= is aligned with the From domain.</summary>
    public ReportDmarcResult DkimPolicyResult { get; }

    /// <summary>policy_evaluated/spf: Pass when SPF passed AND the MAIL FROM domain is aligned with the From domain.</summary>
    public ReportDmarcResult SpfPolicyResult { get; }

    /// <summary>The DMARC result: pass when either aligned mechanism passed (RFC 9989 §5.3.5).</summary>
    public ReportDmarcResult DmarcResult =>
        DkimPolicyResult == ReportDmarcResult.Pass || SpfPolicyResult == ReportDmarcResult.Pass ? ReportDmarcResult.Pass
        : DkimPolicyResult == ReportDmarcResult.Unknown && SpfPolicyResult == ReportDmarcResult.Unknown ? ReportDmarcResult.Unknown
        : ReportDmarcResult.Fail;

    /// <summary>Why the receiver applied another policy than the published one.</summary>
    public IReadOnlyList<PolicyOverrideReason> Reasons { get; }

    /// <summary>The RFC 5322.From domain.</summary>
    public string HeaderFrom { get; }

    /// <summary>The RFC 5321.MailFrom domain (or HELO domain), when reported.</summary>
    public string EnvelopeFrom { get; }

    /// <summary>The envelope recipient domain, when reported.</summary>
    public string EnvelopeTo { get; }

    public IReadOnlyList<DkimAuthResult> DkimResults { get; }
    public IReadOnlyList<SpfAuthResult> SpfResults { get; }

    public override string ToString() => $"{SourceIP} x{Count} {Disposition}";
}
