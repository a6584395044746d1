using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org/list/), used by the legacy RFC 7489 §3.2
/// Organizational Domain rule. <see cref="Default"/> is the snapshot embedded in MailAuth (from
/// Debian's publicsuffix package, MPL-2.0); <see cref="Load"/> reads a newer file. The matching
/// algorithm is the list's own: exception rules beat wildcard and normal rules, the longest match
/// wins, and the implicit rule "*" makes an unlisted TLD a public suffix.
/// </summary>
public sealed class PublicSuffixList
{
    /// <summary>Error id for a list file that cannot be read.</summary>
    public const string UnreadableListErrorId = "PublicSuffixListUnreadable";

    private static readonly Lazy<PublicSuffixList> DefaultLazy = new Lazy<PublicSuffixList>(LoadEmbedded);
    private static readonly IdnMapping Idn = new IdnMapping();

    private readonly HashSet<string> _rules = new HashSet<string>(StringComparer.Ordinal);
    private readonly HashSet<string> _wildcards = new HashSet<string>(StringComparer.Ordinal);
    private readonly HashSet<string> _exceptions = new HashSet<string>(StringComparer.Ordinal);

    private PublicSuffixList(TextReader reader, string source)
    {
        Source = source;
        string line;
        while ((line = reader.ReadLine()) != null)
        {
            var s = line.Trim();
            if (s.Length == 0 || s.StartsWith("//", StringComparison.Ordinal)) continue;
            var space = s.IndexOfAny(new[] { ' ', '\t' });
            if (space > 0) s = s.Substring(0, space);
            bool exception = s.StartsWith("!", StringComparison.Ordinal);
            if (exception) s = s.Substring(1);
            bool wildcard = s.StartsWith("*.", StringComparison.Ordinal);
            if (wildcard) s = s.Substring(2);
            s = ToAscii(s);
            if (s == null) continue;
            if (exception) _exceptions.Add(s);
            else if (wildcard) _wildcards.Add(s);
            else _rules.Add(s);
        }
        RuleCount = _rules.Count + _wildcards.Count + _exceptions.Count;
    }

    /// <summary>The embedded snapshot.</summary>
    public static PublicSuffixList Default => DefaultLazy.Value;

    /// <summary>Where the list came from: "embedded" or the file path.</summary>
    public string Source { get; }

    /// <summary>How many rules the list has.</summary>
    public int RuleCount { get; }

    /// <summary>Reads a list in the publicsuffix.org format from a file; throws <see cref="MailAuthInputException"/> if it cannot.</summary>
    public static PublicSuffixList Load(string path)
    {
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            var list = new PublicSuffixList(reader, Path.GetFullPath(path));
            if (list.RuleCount == 0) throw new MailAuthInputException(UnreadableListErrorId, $"'{path}' holds no public suffix rules.", path);
            return list;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
        {
            if (ex is MailAuthInputException mex) throw mex;
            throw new MailAuthInputException(UnreadableListErrorId, $"Cannot read the Public Suffix List file '{path}': {ex.Message}", path, ex);
        }
    }

    /// <summary>Builds a list from rules in the publicsuffix.org format (for tests and tools).</summary>
    public static PublicSuffixList Parse(string text, string source = "text") => new PublicSuffixList(new StringReader(text ?? string.Empty), source);

    /// <summary>The public suffix of <paramref name="domain"/> (e.g. <c>co.uk</c> for <c>www.example.co.uk</c>), or null for an invalid name.</summary>
    public string GetPublicSuffix(string domain)
    {
        var labels = Split(domain);
        if (labels == null) return null;
        int n = labels.Length;
        for (int i = 0; i < n; i++)
        {
            var suffix = Join(labels, i);
            if (_exceptions.Contains(suffix)) return Join(labels, i + 1);
            if (i > 0 && _wildcards.Contains(suffix)) return Join(labels, i - 1);
            if (_rules.Contains(suffix)) return suffix;
        }
        // A wildcard directly over the whole name ("*.ck" for "ck") makes nothing longer; the implicit rule is "*".
        return labels[n - 1];
    }

    /// <summary>
    /// The registrable domain, which RFC 7489 §3.2 calls the Organizational Domain: the public suffix plus one
    /// label. Null when <paramref name="domain"/> is itself a public suffix or not a valid name.
    /// </summary>
    public string GetRegistrableDomain(string domain)
    {
        var labels = Split(domain);
        if (labels == null) return null;
        var suffix = GetPublicSuffix(domain);
        var suffixLabels = suffix.Split('.').Length;
        if (labels.Length <= suffixLabels) return null;
        return Join(labels, labels.Length - suffixLabels - 1);
    }

    /// <summary>True when <paramref name="domain"/> is a public suffix.</summary>
    public bool IsPublicSuffix(string domain)
    {
        var labels = Split(domain);
        return labels != null && string.Equals(GetPublicSuffix(domain), string.Join(".", labels), StringComparison.Ordinal);
    }

    private static string[] Split(string domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.StartsWith(".", StringComparison.Ordinal)) return null;
        var ascii = ToAscii(domain.TrimEnd('.'));
        if (string.IsNullOrEmpty(ascii)) return null;
        var labels = ascii.Split('.');
        foreach (var l in labels) if (l.Length == 0) return null;
        return labels;
    }

    private static string Join(string[] labels, int from) => string.Join(".", labels, from, labels.Length - from);

    private static string ToAscii(string s)
    {
        foreach (var c in s)
        {
            if (c > 0x7f)
            {
                try { return Idn.GetAscii(s).ToLowerInvariant(); }
                catch (ArgumentException) { return null; }
            }
        }
        return s.ToLowerInvariant();
    }

    private static PublicSuffixList LoadEmbedded()
    {
        var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream("MailAuth.public_suffix_list.dat")
            ?? throw new InvalidOperationException("The embedded Public Suffix List is missing from MailAuth.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new PublicSuffixList(reader, "embedded");
    }
}
