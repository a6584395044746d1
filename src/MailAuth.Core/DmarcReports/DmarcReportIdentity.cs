using System;
using System.Security.Cryptography;
using System.Text;

namespace MailAuth.DmarcReports;

/// <summary>
/// What makes an aggregate report the same report when it arrives twice: its reporter (report_metadata/org_name,
/// or report_metadata/email when a reporter leaves the name empty) and its report_id (RFC 9990 §3.1.1: unique
/// for the reporter). Compared without regard to case or surrounding space. <see cref="FileStem"/> is a file
/// name derived from it that no reporter can steer outside a folder: only letters, digits and a few safe marks
/// are kept, each part is bounded, and a hash of the whole identity keeps two identities that read alike apart.
/// </summary>
public sealed class DmarcReportIdentity : IEquatable<DmarcReportIdentity>
{
    private const int MaxPartLength = 64;

    public DmarcReportIdentity(string reporter, string reportId)
    {
        Reporter = (reporter ?? string.Empty).Trim();
        ReportId = (reportId ?? string.Empty).Trim();
        Key = Reporter.ToLowerInvariant() + "\n" + ReportId.ToLowerInvariant();
        FileStem = SafePart(Reporter) + "!" + SafePart(ReportId) + "!" + Hash(Key);
    }

    /// <summary>The identity of a report: org_name, or email when org_name is empty, and report_id.</summary>
    public static DmarcReportIdentity Of(DmarcAggregateReport report) => Of(report.Header);

    /// <summary>The identity of the report a row (Import-DmarcReport -Expand) comes from.</summary>
    public static DmarcReportIdentity Of(DmarcReportRow row) => Of(row.Header);

    private static DmarcReportIdentity Of(DmarcReportHeader header) =>
        new DmarcReportIdentity(string.IsNullOrWhiteSpace(header.OrgName) ? header.Email : header.OrgName, header.ReportId);

    public string Reporter { get; }
    public string ReportId { get; }

    /// <summary>The compared form: reporter and report id, lower case, on two lines.</summary>
    public string Key { get; }

    /// <summary>
    /// A file name without extension: reporter!report-id!hash, e.g. <c>google.com!1234567890!3f2a…</c>. Characters
    /// other than letters, digits, '.', '-', '_', '@' and '+' become '_'; leading dots are dropped, so no name is
    /// hidden, '..' or rooted.
    /// </summary>
    public string FileStem { get; }

    private static string SafePart(string text)
    {
        var b = new StringBuilder(Math.Min(text.Length, MaxPartLength));
        foreach (var c in text)
        {
            if (b.Length == MaxPartLength) break;
            bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '@' || c == '+';
            if (c == '.' && b.Length == 0) continue;
            b.Append(safe ? c : '_');
        }
        return b.Length == 0 ? "_" : b.ToString();
    }

    private static string Hash(string key)
    {
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(key));
        var b = new StringBuilder(16);
        for (int i = 0; i < 8; i++) b.Append(digest[i].ToString("x2"));
        return b.ToString();
    }

    public bool Equals(DmarcReportIdentity other) => other != null && other.Key == Key;
    public override bool Equals(object obj) => Equals(obj as DmarcReportIdentity);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);
    public override string ToString() => $"{Reporter} {ReportId}";
}
