using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MailAuth.Publishing;

/// <summary>
/// Splits TXT record data into character-strings of at most 255 bytes (RFC 1035 §3.3.14) and
/// quotes them for master files and Route 53 (RFC 1035 §5.1: <c>"</c> and <c>\</c> escaped).
/// A UTF-8 sequence is never cut in two.
/// </summary>
public static class TxtCharacterStrings
{
    /// <summary>The largest character-string, in bytes.</summary>
    public const int MaxLength = 255;

    /// <summary>The pieces of <paramref name="value"/>, each at most 255 bytes of UTF-8.</summary>
    public static IReadOnlyList<string> Split(string value)
    {
        var pieces = new List<string>();
        var current = new StringBuilder();
        var currentBytes = 0;
        var i = 0;
        while (i < (value ?? string.Empty).Length)
        {
            var width = char.IsHighSurrogate(value[i]) && i + 1 < value.Length ? 2 : 1;
            var text = value.Substring(i, width);
            var bytes = Encoding.UTF8.GetByteCount(text);
            if (currentBytes + bytes > MaxLength)
            {
                pieces.Add(current.ToString());
                current.Clear();
                currentBytes = 0;
            }
            current.Append(text);
            currentBytes += bytes;
            i += width;
        }
        if (current.Length > 0 || pieces.Count == 0) pieces.Add(current.ToString());
        return pieces;
    }

    /// <summary>The quoted, space-separated character-strings: <c>"part1" "part2"</c>.</summary>
    public static string Quote(string value) =>
        string.Join(" ", Split(value).Select(p => "\"" + p.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""));

    /// <summary>
    /// The text of quoted character-strings joined (RFC 1035 §5.1, as Route 53 and zone files write TXT data):
    /// <c>"v=spf1 " "-all"</c> is <c>v=spf1 -all</c>; <c>\"</c>, <c>\\</c> and <c>\DDD</c> are unescaped. Text that
    /// does not start with a quote is taken as one unquoted string.
    /// </summary>
    public static string Unquote(string value)
    {
        value = (value ?? string.Empty).Trim();
        if (!value.StartsWith("\"", System.StringComparison.Ordinal)) return value;
        var bytes = new List<byte>();
        var inside = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"') { inside = !inside; continue; }
            if (!inside) continue;
            if (c == '\\' && i + 1 < value.Length)
            {
                if (i + 3 < value.Length && char.IsDigit(value[i + 1]) && char.IsDigit(value[i + 2]) && char.IsDigit(value[i + 3]))
                {
                    bytes.Add((byte)int.Parse(value.Substring(i + 1, 3), System.Globalization.CultureInfo.InvariantCulture));
                    i += 3;
                    continue;
                }
                c = value[++i];
            }
            var width = char.IsHighSurrogate(c) && i + 1 < value.Length ? 2 : 1;
            bytes.AddRange(Encoding.UTF8.GetBytes(value.Substring(i, width)));
            i += width - 1;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
