using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MailAuth.Spf;

/// <summary>
/// Edits SPF record text for the changes that fix a finding: merges the records of a domain that publishes
/// more than one (RFC 7208 §4.5: a PermError) and adds an include: that a sender needs. Terms are kept as
/// written; only whole terms are added or dropped, so a reviewer sees the difference term by term.
/// </summary>
public static class SpfRecordEditor
{
    private const string Version = "v=spf1";
    private static readonly Regex ModifierName = new Regex("^[A-Za-z][A-Za-z0-9_.-]*=", RegexOptions.CultureInvariant);

    /// <summary>
    /// One record that authorizes what every one of <paramref name="records"/> authorizes: the mechanisms of the first,
    /// then those of the others not already there, then one "all". The merged record ends with the softer of the
    /// records' all terms, but never softer than ~all (so no sender either record passed starts failing, and the
    /// merge never opens the domain to everyone); exp= is the first record's. Returns null when the records
    /// cannot be merged without a person (a redirect=, which applies only when nothing else matches, or a
    /// record that does not parse): the caller then proposes no change.
    /// </summary>
    public static string Merge(IReadOnlyList<string> records)
    {
        if (records == null || records.Count == 0) return null;
        var mechanisms = new List<string>();
        string exp = null;
        int? softest = null;
        foreach (var record in records)
        {
            if (!SpfRecordParser.TryParse(record, out _, out _, out _)) return null;
            foreach (var term in Terms(record))
            {
                if (IsModifier(term))
                {
                    var name = term.Substring(0, term.IndexOf('=')).ToLowerInvariant();
                    if (name == "redirect") return null;
                    if (name == "exp") exp ??= term;
                    continue;
                }
                if (IsAll(term))
                {
                    var rank = AllRank(term);
                    softest = softest.HasValue ? Math.Max(softest.Value, rank) : rank;
                    continue;
                }
                if (!mechanisms.Any(m => string.Equals(m, term, StringComparison.OrdinalIgnoreCase))) mechanisms.Add(term);
            }
        }
        var all = softest.HasValue ? (Math.Min(softest.Value, 1) == 0 ? "-all" : "~all") : null;
        return string.Join(" ", new[] { Version }.Concat(mechanisms).Concat(new[] { all, exp }.Where(t => t != null)));
    }

    /// <summary>True when <paramref name="record"/> has a pass-qualified include: of <paramref name="domain"/>.</summary>
    public static bool Includes(string record, string domain) =>
        Terms(record).Any(t => string.Equals(t.TrimStart('+'), "include:" + domain, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <paramref name="record"/> with <c>include:<paramref name="domain"/></c> added before its "all" (or before its
    /// modifiers when it has no "all"), so the include is evaluated before anything that ends the check
    /// (RFC 7208 §4.6.2). The record unchanged when it already includes the domain.
    /// </summary>
    public static string WithInclude(string record, string domain)
    {
        if (Includes(record, domain)) return record;
        var terms = Terms(record).ToList();
        var at = terms.FindIndex(t => IsAll(t) || IsModifier(t));
        terms.Insert(at < 0 ? terms.Count : at, "include:" + domain);
        return string.Join(" ", new[] { Version }.Concat(terms));
    }

    private static IEnumerable<string> Terms(string record) =>
        (record ?? string.Empty).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Skip(1);

    private static bool IsModifier(string term) => ModifierName.IsMatch(term);

    private static bool IsAll(string term) => string.Equals(term.TrimStart('+', '-', '~', '?'), "all", StringComparison.OrdinalIgnoreCase);

    // -all 0, ~all 1, ?all 2, +all 3: higher passes more.
    private static int AllRank(string term)
    {
        switch (term[0])
        {
            case '-': return 0;
            case '~': return 1;
            case '?': return 2;
            default: return 3;
        }
    }
}
