using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;

namespace MailAuth.Dkim;

/// <summary>
/// A DKIM tag=value list (RFC 6376 §3.2), the syntax of both the DKIM-Signature header field and
/// the key record. Tag names are case-sensitive; a tag may appear once; values keep their text
/// with folding whitespace removed at the ends. Parsed in one pass by position: no splitting, and
/// each tag remembers where its value lies so that b= can be left out of the header hash (§3.7).
/// </summary>
internal sealed class DkimTagList
{
    private readonly Tag[] _tags;
    private readonly int _count;
    private string[] _names;
    private readonly string _text;
    private readonly byte[] _bytes;

    private DkimTagList(Tag[] tags, int count, string text, byte[] bytes)
    {
        _tags = tags;
        _count = count;
        _text = text;
        _bytes = bytes;
    }

    /// <summary>Tag names in the order they appear; made on first use.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            if (_names != null) return _names;
            var names = new string[_count];
            for (int k = 0; k < _count; k++) names[k] = _tags[k].Name;
            return _names = names;
        }
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The value of tag <paramref name="name"/>, folding whitespace at its ends removed; null when absent. Made on first use.</summary>
    public string this[string name]
    {
        get
        {
            int k = IndexOf(name);
            if (k < 0) return null;
            return _tags[k].Value ?? (_tags[k].Value = Text(_tags[k].TrimmedStart, _tags[k].TrimmedEnd));
        }
    }

    /// <summary>The value of <paramref name="name"/> with all folding whitespace removed (b=, bh=, p=), made in one step from the text; null when absent.</summary>
    public string ValueWithoutWhitespace(string name)
    {
        int k = IndexOf(name);
        if (k < 0) return null;
        int n = CopyWithoutWhitespace(k, out var chars);
        return new string(chars, 0, n);
    }

    /// <summary>
    /// The value of <paramref name="name"/> (b=, bh=) decoded as base64 straight from the text, folding whitespace skipped,
    /// without making its string; null when absent or not valid base64, an empty array when it holds only whitespace.
    /// <paramref name="roundTrips"/> says whether encoding the bytes gives the value back: the decoder ignores bits left
    /// over before '=' padding, which an encoder sets to zero (RFC 4648 §3.5).
    /// </summary>
    public byte[] Base64Value(string name, out bool roundTrips)
    {
        roundTrips = false;
        int k = IndexOf(name);
        if (k < 0) return null;
        int from = _tags[k].TrimmedStart, to = _tags[k].TrimmedEnd;
        // The base64 text without its folding whitespace, as ASCII bytes for the vectorized decoder.
        Span<byte> text = to - from <= 2048 ? stackalloc byte[to - from] : new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++)
        {
            char c = CharAt(i);
            if (IsFws(c)) continue;
            if (c > 0x7F) return null;
            text[n++] = (byte)c;
        }
        if (n == 0) return Array.Empty<byte>();
        if (n % 4 != 0) return null;
        int padding = text[n - 1] != (byte)'=' ? 0 : text[n - 2] == (byte)'=' ? 2 : 1;
        var bytes = new byte[n / 4 * 3 - padding];
        if (Base64.DecodeFromUtf8(text.Slice(0, n), bytes, out _, out int written) != OperationStatus.Done || written != bytes.Length)
        {
            // The vectorized decoder also refuses padding bits that are set (RFC 4648 §3.5), which a verifier reads past
            // as the signer's decoder did: decode such a value the tolerant way, and anything else that failed is not base64.
            var chars = new char[n];
            for (int i = 0; i < n; i++) chars[i] = (char)text[i];
            try { bytes = Convert.FromBase64CharArray(chars, 0, n); }
            catch (FormatException) { return null; }
        }
        int leftOverMask = padding == 0 ? 0 : padding == 1 ? 0x3 : 0xF;
        roundTrips = n > padding && (Base64Digit((char)text[n - 1 - padding]) & leftOverMask) == 0;
        return bytes;
    }

    /// <summary>Copies the value of tag <paramref name="k"/> without its folding whitespace into this thread's scratch array; returns the length.</summary>
    private int CopyWithoutWhitespace(int k, out char[] chars)
    {
        int from = _tags[k].TrimmedStart, to = _tags[k].TrimmedEnd;
        chars = Scratch(to - from);
        int n = 0;
        for (int i = from; i < to; i++)
        {
            char c = CharAt(i);
            if (!IsFws(c)) chars[n++] = c;
        }
        return n;
    }

    /// <summary>
    /// The items of a list value such as h= (RFC 6376 §3.5), split at <paramref name="separator"/> and each trimmed of folding
    /// whitespace, made straight from the text; null when the tag is absent.
    /// </summary>
    public string[] ListValue(string name, char separator)
    {
        int k = IndexOf(name);
        if (k < 0) return null;
        int from = _tags[k].TrimmedStart, to = _tags[k].TrimmedEnd;
        int count = 1;
        for (int i = from; i < to; i++)
            if (CharAt(i) == separator) count++;
        var items = new string[count];
        int itemStart = from;
        for (int item = 0; item < count; item++)
        {
            int itemEnd = itemStart;
            while (itemEnd < to && CharAt(itemEnd) != separator) itemEnd++;
            int a = itemStart, b = itemEnd;
            while (a < b && IsFws(CharAt(a))) a++;
            while (b > a && IsFws(CharAt(b - 1))) b--;
            items[item] = a == b ? string.Empty : Text(a, b);
            itemStart = itemEnd + 1;
        }
        return items;
    }

    private static int Base64Digit(char c) =>
        c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : 63;

    private char CharAt(int i) => _bytes != null ? (char)_bytes[i] : _text[i];

    private string Text(int from, int to) => _bytes != null ? DkimMessage.Latin1(_bytes, from, to - from) : _text.Substring(from, to - from);

    /// <summary>
    /// Where the value of <paramref name="name"/> lies in the parsed text: from just after its '=' to the ';' that
    /// ends it (or the end), whitespace included; false when the tag is absent.
    /// </summary>
    public bool TryGetValueRange(string name, out int start, out int end)
    {
        int k = IndexOf(name);
        start = k < 0 ? 0 : _tags[k].ValueStart;
        end = k < 0 ? 0 : _tags[k].ValueEnd;
        return k >= 0;
    }

    private int IndexOf(string name)
    {
        for (int k = 0; k < _count; k++)
            if (string.Equals(_tags[k].Name, name, StringComparison.Ordinal)) return k;
        return -1;
    }

    /// <summary>Parses a tag list; returns false with a reason on a syntax error or a duplicated tag.</summary>
    public static bool TryParse(string text, out DkimTagList list, out string error) =>
        TryParse(new StringText(text ?? string.Empty), out list, out error);

    /// <summary>Parses the value of a header field (after the colon) straight from the message bytes; ranges are offsets in the message.</summary>
    public static bool TryParse(DkimHeaderField field, out DkimTagList list, out string error) =>
        TryParse(new ByteText(field.Data, field.Colon + 1, field.End), out list, out error);

    private static bool TryParse<T>(T text, out DkimTagList list, out string error) where T : struct, ITagText
    {
        list = null;
        error = null;
        var tags = new Tag[16];
        int count = 0;
        int i = text.Start;
        while (i <= text.End)
        {
            int semicolon = text.IndexOf(';', i);
            if (semicolon < 0) semicolon = text.End;
            int specStart = i, specEnd = semicolon;
            TrimFws(text, ref specStart, ref specEnd);
            i = semicolon + 1;
            if (specStart == specEnd) continue; // an empty spec is allowed after the last ';'
            int eq = text.IndexOf('=', specStart, specEnd);
            if (eq <= specStart)
            {
                error = $"\"{Shorten(text.Substring(specStart, specEnd))}\" is not a tag=value pair";
                return false;
            }
            int nameStart = specStart, nameEnd = eq;
            TrimFws(text, ref nameStart, ref nameEnd);
            if (!IsTagName(text, nameStart, nameEnd))
            {
                error = $"\"{Shorten(text.Substring(nameStart, nameEnd))}\" is not a valid tag name";
                return false;
            }
            var name = KnownName(text, nameStart, nameEnd) ?? text.Substring(nameStart, nameEnd);
            for (int k = 0; k < count; k++)
            {
                if (tags[k].Name != name) continue;
                error = $"the tag {name}= appears more than once";
                return false;
            }
            int valueStart = eq + 1, valueEnd = specEnd;
            TrimFws(text, ref valueStart, ref valueEnd);
            if (count == tags.Length) Array.Resize(ref tags, count * 2);
            tags[count++] = new Tag(name, valueStart, valueEnd, eq + 1, semicolon);
        }
        list = new DkimTagList(tags, count, text.String, text.Bytes);
        return true;
    }

    /// <summary>Removes all folding whitespace (SP, HTAB, CR, LF) from a value such as b=, bh= or p=.</summary>
    public static string StripWhitespace(string value)
    {
        if (value == null) return null;
        int k = 0;
        while (k < value.Length && !IsFws(value[k])) k++;
        if (k == value.Length) return value;
        var chars = Scratch(value.Length);
        value.CopyTo(0, chars, 0, k);
        int n = k;
        for (; k < value.Length; k++)
            if (!IsFws(value[k])) chars[n++] = value[k];
        return new string(chars, 0, n);
    }

    [ThreadStatic] private static char[] _scratch;

    private static char[] Scratch(int length) =>
        _scratch != null && _scratch.Length >= length ? _scratch : (_scratch = new char[Math.Max(length, 1024)]);

    private static bool IsFws(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';

    private static void TrimFws<T>(T text, ref int start, ref int end) where T : struct, ITagText
    {
        while (start < end && IsFws(text[start])) start++;
        while (end > start && IsFws(text[end - 1])) end--;
    }

    private static bool IsTagName<T>(T text, int start, int end) where T : struct, ITagText
    {
        if (start == end || !IsAlpha(text[start])) return false;
        for (int k = start; k < end; k++)
        {
            char c = text[k];
            if (!IsAlpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
        }
        return true;
    }

    /// <summary>The tag names of RFC 6376 and RFC 8617 as shared strings, so parsing them allocates nothing.</summary>
    private static string KnownName<T>(T text, int start, int end) where T : struct, ITagText
    {
        if (end - start == 1)
        {
            switch (text[start])
            {
                case 'a': return "a";
                case 'b': return "b";
                case 'c': return "c";
                case 'd': return "d";
                case 'h': return "h";
                case 'i': return "i";
                case 'k': return "k";
                case 'l': return "l";
                case 'n': return "n";
                case 'p': return "p";
                case 'q': return "q";
                case 's': return "s";
                case 't': return "t";
                case 'v': return "v";
                case 'x': return "x";
                case 'z': return "z";
            }
        }
        else if (end - start == 2)
        {
            if (text[start] == 'b' && text[start + 1] == 'h') return "bh";
            if (text[start] == 'c' && text[start + 1] == 'v') return "cv";
        }
        return null;
    }

    private static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    internal static string Shorten(string s) => s.Length <= 40 ? s : s.Substring(0, 40) + "...";

    private struct Tag
    {
        public Tag(string name, int trimmedStart, int trimmedEnd, int valueStart, int valueEnd)
        {
            Name = name;
            Value = null;
            TrimmedStart = trimmedStart;
            TrimmedEnd = trimmedEnd;
            ValueStart = valueStart;
            ValueEnd = valueEnd;
        }

        public string Name { get; }

        /// <summary>The trimmed value, once asked for.</summary>
        public string Value { get; set; }

        public int TrimmedStart { get; }
        public int TrimmedEnd { get; }
        public int ValueStart { get; }
        public int ValueEnd { get; }
    }

    /// <summary>The text a tag list is read from: a string, or Latin-1 bytes of a message. A struct, so each is compiled on its own.</summary>
    private interface ITagText
    {
        int Start { get; }
        int End { get; }
        char this[int index] { get; }
        int IndexOf(char c, int from, int to = -1);
        string Substring(int from, int to);
        string String { get; }
        byte[] Bytes { get; }
    }

    private readonly struct StringText : ITagText
    {
        private readonly string _s;

        public StringText(string s) => _s = s;
        public int Start => 0;
        public int End => _s.Length;
        public char this[int index] => _s[index];
        public int IndexOf(char c, int from, int to = -1) => _s.IndexOf(c, from, (to < 0 ? _s.Length : to) - from);
        public string Substring(int from, int to) => _s.Substring(from, to - from);
        public string String => _s;
        public byte[] Bytes => null;
    }

    private readonly struct ByteText : ITagText
    {
        private readonly byte[] _data;

        public ByteText(byte[] data, int start, int end)
        {
            _data = data;
            Start = start;
            End = end;
        }

        public int Start { get; }
        public int End { get; }
        public char this[int index] => (char)_data[index];
        public int IndexOf(char c, int from, int to = -1) => Array.IndexOf(_data, (byte)c, from, (to < 0 ? End : to) - from);
        public string Substring(int from, int to) => DkimMessage.Latin1(_data, from, to - from);
        public string String => null;
        public byte[] Bytes => _data;
    }
}
