using System;
using MailAuth.DmarcReports;

namespace MailAuth.DmarcRollout;

/// <summary>
/// The steps from monitoring to enforcement, each with test mode first: p=none, p=quarantine; t=y, p=quarantine,
/// p=reject; t=y, p=reject. RFC 9989 §4.7 replaces pct= with t=y (test mode: receivers apply the next lower policy
/// and send reports), so each enforcing step can be tried before it takes effect.
/// </summary>
internal enum PolicyStep
{
    None = 0,
    QuarantineTest = 1,
    Quarantine = 2,
    RejectTest = 3,
    Reject = 4,
}

internal static class PolicySteps
{
    /// <summary>The step of a published policy as a report gives it; an RFC 7489 pct below 100 counts as the test step.</summary>
    public static PolicyStep? Of(PolicyPublished published)
    {
        if (published?.P == null) return null;
        bool testing = published.Testing == true || (published.Pct != null && published.Pct < 100);
        switch (published.P.Value)
        {
            case ReportDisposition.Quarantine: return testing ? PolicyStep.QuarantineTest : PolicyStep.Quarantine;
            case ReportDisposition.Reject: return testing ? PolicyStep.RejectTest : PolicyStep.Reject;
            case ReportDisposition.None: return PolicyStep.None;
            default: return null;
        }
    }

    public static PolicyStep Target(EnforcementPolicy policy) => policy == EnforcementPolicy.Reject ? PolicyStep.Reject : PolicyStep.Quarantine;

    public static PolicyStep Next(PolicyStep step) => step == PolicyStep.Reject ? step : step + 1;

    /// <summary>The policy tags of a step, as they go into the DMARC record.</summary>
    public static string Record(PolicyStep step)
    {
        switch (step)
        {
            case PolicyStep.None: return "p=none";
            case PolicyStep.QuarantineTest: return "p=quarantine; t=y";
            case PolicyStep.Quarantine: return "p=quarantine";
            case PolicyStep.RejectTest: return "p=reject; t=y";
            case PolicyStep.Reject: return "p=reject";
            default: throw new ArgumentOutOfRangeException(nameof(step));
        }
    }
}
