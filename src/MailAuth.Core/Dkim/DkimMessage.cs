using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dkim;

/// <summary>
/// A message split the way DKIM sees it (RFC 5322 §2.1, RFC 6376 §5.4): header fields exactly as
/// written (Latin-1, folding kept, line ends made CRLF) and the body's bytes. Never throws on
/// malformed input; what is wrong is in <see cref="HeaderProblem"/>.
/// </summary>
internal sealed class DkimMessage
{
    private DkimMessage(List<DkimHeaderField> fields, byte[] data, int bodyOffset, string headerProblem)
    {
        Fields = fields;
        Data = data;
        BodyOffset = bodyOffset;
        HeaderProblem = headerProblem;
    }

    /// <summary>Header fields, top to bottom.</summary>
    public IReadOnlyList<DkimHeaderField> Fields { get; }

    /// <summary>The whole message; the body starts at <see cref="BodyOffset"/>.</summary>
    public byte[] Data { get; }
    public int BodyOffset { get; }
    public int BodyLength => Data.Length - BodyOffset;

    /// <summary>A line in the header section that is not a header field, or null.</summary>
    public string HeaderProblem { get; }

    public static async Task<DkimMessage> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] data;
        if (stream is MemoryStream ms && ms.Position == 0 && ms.TryGetBuffer(out var segment) && segment.Offset == 0 && segment.Count == segment.Array.Length)
        {
            data = segment.Array;
        }
        else
        {
            var copy = new MemoryStream(stream.CanSeek ? (int)Math.Min(int.MaxValue, Math.Max(0, stream.Length - stream.Position)) : 0);
            await stream.CopyToAsync(copy, 81920, cancellationToken).ConfigureAwait(false);
            data = copy.Length == copy.GetBuffer().Length ? copy.GetBuffer() : copy.ToArray();
        }
        return Parse(data);
    }

    public static DkimMessage Parse(byte[] data)
    {
        var fields = new List<DkimHeaderField>();
        string problem = null;
        int i = 0;
        int bodyOffset = data.Length;
        string current = null;
        while (i < data.Length)
        {
            int lf = Array.IndexOf(data, (byte)'\n', i);
            int lineEnd = lf < 0 ? data.Length : lf;
            int contentEnd = lineEnd > i && data[lineEnd - 1] == (byte)'\r' ? lineEnd - 1 : lineEnd;
            int next = lf < 0 ? data.Length : lf + 1;
            if (contentEnd == i)
            {
                bodyOffset = next; // the empty line that ends the header section
                break;
            }
            var line = Latin1(data, i, contentEnd - i);
            if (line[0] == ' ' || line[0] == '\t')
            {
                if (current != null) current += "\r\n" + line;
                else problem = problem ?? "the message starts with a folded line";
            }
            else
            {
                if (current != null) fields.Add(new DkimHeaderField(current));
                current = null;
                int colon = line.IndexOf(':');
                if (colon <= 0 || line.Substring(0, colon).TrimEnd(' ', '\t').IndexOfAny(new[] { ' ', '\t' }) >= 0)
                    problem = problem ?? $"the header line \"{DkimTagList.Shorten(line)}\" is not a header field";
                else
                    current = line;
            }
            i = next;
        }
        if (current != null) fields.Add(new DkimHeaderField(current));
        return new DkimMessage(fields, data, Math.Min(bodyOffset, data.Length), problem);
    }

    internal static string Latin1(byte[] data, int offset, int count)
    {
        var chars = new char[count];
        for (int k = 0; k < count; k++) chars[k] = (char)data[offset + k];
        return new string(chars);
    }

    internal static byte[] Latin1Bytes(string s)
    {
        var bytes = new byte[s.Length];
        for (int k = 0; k < s.Length; k++) bytes[k] = (byte)s[k];
        return bytes;
    }
}

/// <summary>One header field as written: name, colon, value with its folding (CRLF-separated lines).</summary>
internal sealed class DkimHeaderField
{
    public DkimHeaderField(string raw)
    {
        Raw = raw;
        int colon = raw.IndexOf(':');
        Name = raw.Substring(0, colon).TrimEnd(' ', '\t');
        Value = raw.Substring(colon + 1);
    }

    public string Raw { get; }
    public string Name { get; }

    /// <summary>Everything after the colon, folding included.</summary>
    public string Value { get; }

    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}
