using System;
using System.Collections.Generic;

namespace MailAuth.Dkim;

/// <summary>
/// A DKIM tag=value list (RFC 6376 §3.2), the syntax of both the DKIM-Signature header field and
/// the key record. Tag names are case-sensitive; a tag may appear once; values keep their text
/// with folding whitespace removed at the ends.
/// </summary>
internal sealed class DkimTagList
{
    private readonly Dictionary<string, string> _tags;

    private DkimTagList(Dictionary<string, string> tags, List<string> order)
    {
        _tags = tags;
        Names = order;
    }

    /// <summary>Tag names in the order they appear.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool Contains(string name) => _tags.ContainsKey(name);

    public string this[string name] => _tags.TryGetValue(name, out var v) ? v : null;

    /// <summary>Parses a tag list; returns false with a reason on a syntax error or a duplicated tag.</summary>
    public static bool TryParse(string text, out DkimTagList list, out string error)
    {
        list = null;
        error = null;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var part in (text ?? string.Empty).Split(';'))
        {
            var spec = TrimFws(part);
            if (spec.Length == 0) continue; // an empty spec is allowed after the last ';'
            int eq = spec.IndexOf('=');
            if (eq <= 0)
            {
                error = $"\"{Shorten(spec)}\" is not a tag=value pair";
                return false;
            }
            var name = TrimFws(spec.Substring(0, eq));
            if (!IsTagName(name))
            {
                error = $"\"{Shorten(name)}\" is not a valid tag name";
                return false;
            }
            if (tags.ContainsKey(name))
            {
                error = $"the tag {name}= appears more than once";
                return false;
            }
            tags[name] = TrimFws(spec.Substring(eq + 1));
            order.Add(name);
        }
        list = new DkimTagList(tags, order);
        return true;
    }

    /// <summary>Removes all folding whitespace (SP, HTAB, CR, LF) from a value such as b=, bh= or p=.</summary>
    public static string StripWhitespace(string value)
    {
        if (value == null) return null;
        var chars = new char[value.Length];
        int n = 0;
        foreach (var c in value)
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') chars[n++] = c;
        return new string(chars, 0, n);
    }

    private static string TrimFws(string s) => s.Trim(' ', '\t', '\r', '\n');

    private static bool IsTagName(string name)
    {
        if (name.Length == 0 || !IsAlpha(name[0])) return false;
        foreach (var c in name)
            if (!IsAlpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
        return true;
    }

    private static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    internal static string Shorten(string s) => s.Length <= 40 ? s : s.Substring(0, 40) + "...";
}
