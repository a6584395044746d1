using System;

namespace MailAuth.Reports;

/// <summary>Reads the enumerated values of aggregate reports, case-insensitively ("PASS" and "pass" alike).</summary>
internal static class ReportEnums
{
    public static ReportDisposition Disposition(string value)
    {
        switch (Key(value))
        {
            case "none": return ReportDisposition.None;
            case "pass": return ReportDisposition.Pass;
            case "quarantine": return ReportDisposition.Quarantine;
            case "reject": return ReportDisposition.Reject;
            default: return ReportDisposition.Unknown;
        }
    }

    public static ReportDmarcResult DmarcResult(string value)
    {
        switch (Key(value))
        {
            case "pass": return ReportDmarcResult.Pass;
            case "fail": return ReportDmarcResult.Fail;
            default: return ReportDmarcResult.Unknown;
        }
    }

    public static ReportDkimResult DkimResult(string value)
    {
        switch (Key(value))
        {
            case "none": return ReportDkimResult.None;
            case "pass": return ReportDkimResult.Pass;
            case "fail": return ReportDkimResult.Fail;
            case "policy": return ReportDkimResult.Policy;
            case "neutral": return ReportDkimResult.Neutral;
            case "temperror": return ReportDkimResult.TempError;
            case "permerror": return ReportDkimResult.PermError;
            default: return ReportDkimResult.Unknown;
        }
    }

    public static ReportSpfResult SpfResult(string value)
    {
        switch (Key(value))
        {
            case "none": return ReportSpfResult.None;
            case "neutral": return ReportSpfResult.Neutral;
            case "pass": return ReportSpfResult.Pass;
            case "fail":
            case "hardfail": return ReportSpfResult.Fail;
            case "softfail": return ReportSpfResult.SoftFail;
            case "temperror":
            case "unknown": return ReportSpfResult.TempError;
            case "permerror":
            case "error": return ReportSpfResult.PermError;
            default: return ReportSpfResult.Unknown;
        }
    }

    /// <summary>A lower-case, trimmed key; null stays null.</summary>
    public static string Key(string value) => value?.Trim().ToLowerInvariant();
}
