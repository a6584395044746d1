using System;
using System.Collections.Generic;
using System.IO;

namespace MailAuth.Reports;

/// <summary>
/// The organizational domain of a host name by the Public Suffix List (RFC 7489 §3.2), read from the
/// snapshot embedded in MailAuth.Core. Used to group report sources by the organization that runs
/// them. The DMARC area's OrganizationalDomainFinder is the general API; this is its minimal PSL
/// half, kept internal to the reports until that API is merged.
/// </summary>
internal static class PublicSuffixSnapshot
{
    private static readonly Lazy<Rules> Loaded = new Lazy<Rules>(Load);

    /// <summary>The registrable domain (public suffix plus one label), or null for a public suffix itself.</summary>
    public static string OrganizationalDomain(string host)
    {
        if (string.IsNullOrEmpty(host)) return null;
        var labels = host.Trim().TrimEnd('.').ToLowerInvariant().Split('.');
        var rules = Loaded.Value;
        int suffixLabels = 1; // the implicit "*" rule
        for (int i = 0; i < labels.Length; i++)
        {
            var candidate = string.Join(".", labels, i, labels.Length - i);
            if (rules.Exceptions.Contains(candidate))
            {
                suffixLabels = Math.Max(suffixLabels, labels.Length - i - 1);
                break;
            }
            if (rules.Normal.Contains(candidate)) suffixLabels = Math.Max(suffixLabels, labels.Length - i);
            if (i + 1 < labels.Length && rules.Wildcards.Contains(string.Join(".", labels, i + 1, labels.Length - i - 1)))
                suffixLabels = Math.Max(suffixLabels, labels.Length - i);
        }
        if (labels.Length <= suffixLabels) return null;
        return string.Join(".", labels, labels.Length - suffixLabels - 1, suffixLabels + 1);
    }

    private sealed class Rules
    {
        public readonly HashSet<string> Normal = new HashSet<string>(StringComparer.Ordinal);
        public readonly HashSet<string> Wildcards = new HashSet<string>(StringComparer.Ordinal);
        public readonly HashSet<string> Exceptions = new HashSet<string>(StringComparer.Ordinal);
    }

    private static Rules Load()
    {
        var rules = new Rules();
        using var stream = typeof(PublicSuffixSnapshot).Assembly.GetManifestResourceStream("MailAuth.public_suffix_list.dat");
        if (stream == null) return rules;
        using var reader = new StreamReader(stream);
        string line;
        while ((line = reader.ReadLine()) != null)
        {
            line = line.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            var rule = System.Globalization.CultureInfo.InvariantCulture.TextInfo.ToLower(line.Split(' ')[0]);
            try
            {
                rule = new System.Globalization.IdnMapping().GetAscii(rule.TrimStart('!').Replace("*.", "x-wild.")).Replace("x-wild.", "*.");
            }
            catch (ArgumentException)
            {
                continue;
            }
            if (line.StartsWith("!", StringComparison.Ordinal)) rules.Exceptions.Add(rule);
            else if (rule.StartsWith("*.", StringComparison.Ordinal)) rules.Wildcards.Add(rule.Substring(2));
            else rules.Normal.Add(rule);
        }
        return rules;
    }
}
