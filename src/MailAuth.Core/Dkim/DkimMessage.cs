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

    /// <summary>Body hashes computed for this message, by canonicalization, hash and l=: signatures that share all three share one.</summary>
    private List<(bool Relaxed, DkimHashAlgorithm Algorithm, long? Limit, byte[] Hash, long CanonicalLength)> _bodyHashes;

    /// <summary>How many body hashes were computed for this message.</summary>
    public int BodyHashCount => _bodyHashes?.Count ?? 0;

    /// <summary>
    /// The body hash (RFC 6376 §3.7 step 1) for <paramref name="relaxed"/> or simple canonicalization, hash
    /// <paramref name="hash"/> and l= <paramref name="limit"/>, and the canonical body's full length (§3.4.5); computed once per
    /// combination however many DKIM-Signatures and ARC-Message-Signatures ask.
    /// </summary>
    public (byte[] Hash, long CanonicalLength) HashBody(bool relaxed, DkimHashAlgorithm hash, long? limit, DkimKeyCache cache)
    {
        if (_bodyHashes != null)
            foreach (var known in _bodyHashes)
                if (known.Relaxed == relaxed && known.Algorithm == hash && known.Limit == limit) return (known.Hash, known.CanonicalLength);
        var writer = cache.RentWriter(hash, limit);
        try
        {
            long length = DkimCanonicalization.Body(Data, BodyOffset, BodyLength, relaxed, writer);
            var computed = writer.Finish();
            (_bodyHashes = _bodyHashes ?? new List<(bool, DkimHashAlgorithm, long?, byte[], long)>(1)).Add((relaxed, hash, limit, computed, length));
            return (computed, length);
        }
        finally { cache.ReturnWriter(writer); }
    }

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

    /// <summary>
    /// Reads <paramref name="stream"/> only up to the empty line that ends the header section (or its end) and splits that:
    /// for readers of header fields, which need not hold a large body. The body of the result is whatever followed in the last read.
    /// </summary>
    public static async Task<DkimMessage> ReadHeaderAsync(Stream stream, CancellationToken cancellationToken)
    {
        var copy = new MemoryStream();
        var buffer = new byte[16384];
        int scanned = 0;
        while (true)
        {
            int n = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            copy.Write(buffer, 0, n);
            if (HeaderEnds(copy.GetBuffer(), Math.Max(0, scanned - 2), (int)copy.Length)) break;
            scanned = (int)copy.Length;
        }
        return Parse(copy.ToArray());
    }

    /// <summary>Whether an empty line (LF LF or LF CR LF, or one at the very start) lies in data[from, to).</summary>
    private static bool HeaderEnds(byte[] data, int from, int to)
    {
        if (from == 0 && to > 0 && (data[0] == (byte)'\n' || (data[0] == (byte)'\r' && to > 1 && data[1] == (byte)'\n'))) return true;
        for (int i = Array.IndexOf(data, (byte)'\n', from, to - from); i >= 0 && i + 1 < to; i = Array.IndexOf(data, (byte)'\n', i + 1, to - i - 1))
        {
            if (data[i + 1] == (byte)'\n') return true;
            if (data[i + 1] == (byte)'\r' && i + 2 < to && data[i + 2] == (byte)'\n') return true;
        }
        return false;
    }

    /// <summary>
    /// Splits the header section in one pass over the bytes: each field is kept as its position in <paramref name="data"/>
    /// (no string per line), continuation lines join the field above, the first empty line starts the body.
    /// </summary>
    public static DkimMessage Parse(byte[] data)
    {
        var fields = new List<DkimHeaderField>();
        string problem = null;
        int i = 0;
        int bodyOffset = data.Length;
        int fieldStart = -1, fieldEnd = -1, colon = -1;
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
            if (data[i] == (byte)' ' || data[i] == (byte)'\t')
            {
                if (fieldStart >= 0) fieldEnd = contentEnd;
                else problem = problem ?? "the message starts with a folded line";
            }
            else
            {
                if (fieldStart >= 0) fields.Add(new DkimHeaderField(data, fieldStart, colon, fieldEnd));
                fieldStart = -1;
                colon = Array.IndexOf(data, (byte)':', i, contentEnd - i);
                if (colon <= i || !IsFieldName(data, i, colon))
                    problem = problem ?? $"the header line \"{DkimTagList.Shorten(Latin1(data, i, contentEnd - i))}\" is not a header field";
                else
                {
                    fieldStart = i;
                    fieldEnd = contentEnd;
                }
            }
            i = next;
        }
        if (fieldStart >= 0) fields.Add(new DkimHeaderField(data, fieldStart, colon, fieldEnd));
        return new DkimMessage(fields, data, Math.Min(bodyOffset, data.Length), problem);
    }

    /// <summary>No SP or HTAB inside the name; trailing ones before the colon are tolerated.</summary>
    private static bool IsFieldName(byte[] data, int start, int colon)
    {
        int end = colon;
        while (end > start && (data[end - 1] == (byte)' ' || data[end - 1] == (byte)'\t')) end--;
        for (int k = start; k < end; k++)
            if (data[k] == (byte)' ' || data[k] == (byte)'\t') return false;
        return true;
    }

    /// <summary>ISO-8859-1: each byte is the character of the same number, both ways.</summary>
    private static readonly System.Text.Encoding Latin1Encoding = System.Text.Encoding.GetEncoding(28591);

    internal static string Latin1(byte[] data, int offset, int count) => Latin1Encoding.GetString(data, offset, count);
}

/// <summary>
/// One header field as written, kept as its place in the message bytes: from the name to the end of its last line
/// (line break excluded), folding included. The strings are made only when asked for.
/// </summary>
internal sealed class DkimHeaderField
{
    private string _raw, _name, _value;

    public DkimHeaderField(byte[] data, int start, int colon, int end)
    {
        Data = data;
        Start = start;
        Colon = colon;
        End = end;
        int nameEnd = colon;
        while (nameEnd > start && (data[nameEnd - 1] == (byte)' ' || data[nameEnd - 1] == (byte)'\t')) nameEnd--;
        NameEnd = nameEnd;
    }

    public byte[] Data { get; }

    /// <summary>Where the name starts in <see cref="Data"/>.</summary>
    public int Start { get; }

    /// <summary>Where the name ends, whitespace before the colon excluded.</summary>
    public int NameEnd { get; }

    /// <summary>Where the colon is.</summary>
    public int Colon { get; }

    /// <summary>Where the field's last line ends, its line break excluded.</summary>
    public int End { get; }

    /// <summary>The field as Latin-1 text, folding line breaks made CRLF.</summary>
    public string Raw => _raw ?? (_raw = Text(Start, End));

    public string Name => _name ?? (_name = DkimMessage.Latin1(Data, Start, NameEnd - Start));

    /// <summary>Everything after the colon, folding included (line breaks made CRLF).</summary>
    public string Value => _value ?? (_value = Text(Colon + 1, End));

    /// <summary>The bytes after the colon, folding included, as written (line ends not changed).</summary>
    public byte[] ValueBytes()
    {
        var bytes = new byte[End - Colon - 1];
        Buffer.BlockCopy(Data, Colon + 1, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>Whether the field is called <paramref name="name"/> (ASCII, case-insensitive), without making a string.</summary>
    public bool Is(string name)
    {
        if (name.Length != NameEnd - Start) return false;
        for (int k = 0; k < name.Length; k++)
        {
            int a = Data[Start + k], b = name[k];
            if (a == b) continue;
            if (a >= 0x80 || b >= 0x80)
            {
                if (char.ToUpperInvariant((char)a) != char.ToUpperInvariant((char)b)) return false;
            }
            else if ((a | 0x20) != (b | 0x20) || (a | 0x20) < 'a' || (a | 0x20) > 'z') return false;
        }
        return true;
    }

    private string Text(int from, int to)
    {
        var sb = new System.Text.StringBuilder(to - from + 8);
        for (int k = from; k < to; k++)
        {
            byte b = Data[k];
            if (b == (byte)'\n' && (k == from || Data[k - 1] != (byte)'\r')) sb.Append('\r');
            sb.Append((char)b);
        }
        return sb.ToString();
    }
}
