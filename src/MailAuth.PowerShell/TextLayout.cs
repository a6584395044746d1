using System;
using System.Text;

namespace MailAuth.PowerShell;

/// <summary>
/// Word wrapping for the module's views. PowerShell's table and list writers break a long value at the
/// column width wherever that falls, mid-word; a view that calls <see cref="Wrap"/> for its free text gets
/// lines no wider than its column, broken between words, which PowerShell then prints as they are.
/// </summary>
public static class TextLayout
{
    /// <summary>The text broken into lines of at most <paramref name="width"/> characters, between words where possible.</summary>
    public static string Wrap(string text, int width)
    {
        if (string.IsNullOrEmpty(text) || width < 1) return text ?? string.Empty;
        var result = new StringBuilder(text.Length + 16);
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (result.Length > 0) result.Append('\n');
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var rest = word;
                if (line.Length > 0 && line.Length + 1 + rest.Length > width)
                {
                    result.Append(line).Append('\n');
                    line.Clear();
                }
                while (rest.Length > width)
                {
                    // A word longer than the line (a key, a URI) is the only thing cut.
                    result.Append(rest, 0, width).Append('\n');
                    rest = rest.Substring(width);
                }
                if (line.Length > 0) line.Append(' ');
                line.Append(rest);
            }
            result.Append(line);
        }
        return result.ToString();
    }

    /// <summary>Each item as a bullet ("- ") wrapped to <paramref name="width"/>, its continuation lines indented under the text.</summary>
    public static string Bullets(System.Collections.IEnumerable items, int width)
    {
        var result = new StringBuilder();
        if (items == null) return string.Empty;
        foreach (var item in items)
        {
            if (result.Length > 0) result.Append('\n');
            result.Append("- ").Append(Wrap(item?.ToString(), Math.Max(1, width - 2)).Replace("\n", "\n  "));
        }
        return result.ToString();
    }
}
