using System;

namespace MailAuth.DmarcReports;

/// <summary>Reads the enumerated values of aggregate reports, case-insensitively ("PASS" and "pass" alike), without allocating.</summary>
internal static class ReportEnums
{
    public static ReportDisposition Disposition(string value) =>
        Is(value, "none") ? ReportDisposition.None
        : Is(value, "pass") ? ReportDisposition.Pass
        : Is(value, "quarantine") ? ReportDisposition.Quarantine
        : Is(value, "reject") ? ReportDisposition.Reject
        : ReportDisposition.Unknown;

    public static ReportDmarcResult DmarcResult(string value) =>
        Is(value, "pass") ? ReportDmarcResult.Pass
        : Is(value, "fail") ? ReportDmarcResult.Fail
        : ReportDmarcResult.Unknown;

    public static ReportDkimResult DkimResult(string value) =>
        Is(value, "pass") ? ReportDkimResult.Pass
        : Is(value, "fail") ? ReportDkimResult.Fail
        : Is(value, "none") ? ReportDkimResult.None
        : Is(value, "policy") ? ReportDkimResult.Policy
        : Is(value, "neutral") ? ReportDkimResult.Neutral
        : Is(value, "temperror") ? ReportDkimResult.TempError
        : Is(value, "permerror") ? ReportDkimResult.PermError
        : ReportDkimResult.Unknown;

    /// <summary>"unknown" and "error", which reports often write, are TempError and PermError (RFC 9990 takes the RFC 8601 §2.7.2 names; the older RFC 7489 Appendix C schema had these).</summary>
    public static ReportSpfResult SpfResult(string value) =>
        Is(value, "pass") ? ReportSpfResult.Pass
        : Is(value, "fail") || Is(value, "hardfail") ? ReportSpfResult.Fail
        : Is(value, "softfail") ? ReportSpfResult.SoftFail
        : Is(value, "none") ? ReportSpfResult.None
        : Is(value, "neutral") ? ReportSpfResult.Neutral
        : Is(value, "temperror") || Is(value, "unknown") ? ReportSpfResult.TempError
        : Is(value, "permerror") || Is(value, "error") ? ReportSpfResult.PermError
        : ReportSpfResult.Unknown;

    /// <summary>A lower-case, trimmed key; null stays null. Returns the same string when it is already lower-case.</summary>
    public static string Key(string value)
    {
        if (value == null) return null;
        foreach (var c in value)
            if (char.IsUpper(c) || char.IsWhiteSpace(c)) return value.Trim().ToLowerInvariant();
        return value;
    }

    private static bool Is(string value, string name) => string.Equals(value, name, StringComparison.OrdinalIgnoreCase);
}
