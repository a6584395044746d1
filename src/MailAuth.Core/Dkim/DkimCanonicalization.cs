using System;
using System.Security.Cryptography;
using System.Text;

namespace MailAuth.Dkim;

/// <summary>
/// The simple and relaxed canonicalization algorithms of RFC 6376 §3.4, for header fields and for the body.
/// Header fields are handled as Latin-1 strings so every byte of 8-bit headers survives unchanged.
/// </summary>
internal static class DkimCanonicalization
{
    private static readonly byte[] CrLf = { (byte)'\r', (byte)'\n' };

    /// <summary>RFC 6376 §3.4.1 (simple, the field unchanged) or §3.4.2 (relaxed), followed by CRLF unless <paramref name="withCrLf"/> is false.</summary>
    public static string Header(string rawField, bool relaxed, bool withCrLf = true)
    {
        if (!relaxed) return withCrLf ? rawField + "\r\n" : rawField;
        int colon = rawField.IndexOf(':');
        var sb = new StringBuilder(rawField.Length + 2);
        sb.Append(rawField.Substring(0, colon).TrimEnd(' ', '\t').ToLowerInvariant());
        sb.Append(':');
        bool pendingSpace = false, started = false;
        for (int i = colon + 1; i < rawField.Length; i++)
        {
            char c = rawField[i];
            if (c == '\r' || c == '\n') continue;
            if (c == ' ' || c == '\t')
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && started) sb.Append(' ');
            pendingSpace = false;
            started = true;
            sb.Append(c);
        }
        if (withCrLf) sb.Append("\r\n");
        return sb.ToString();
    }

    /// <summary>
    /// Hashes the body canonicalized by RFC 6376 §3.4.3 (simple) or §3.4.4 (relaxed), limited to
    /// <paramref name="limit"/> octets of canonical body when l= is given (§3.4.5). Bare LF ends a line as CRLF does.
    /// </summary>
    public static byte[] BodyHash(byte[] data, int offset, int count, bool relaxed, HashAlgorithm hash, long? limit, out long canonicalLength)
    {
        var sink = new HashSink(hash, limit);
        int end = offset + count;
        int pendingEmpty = 0;
        bool emitted = false;
        var line = new byte[256];
        int i = offset;
        while (i < end)
        {
            int lf = Array.IndexOf(data, (byte)'\n', i, end - i);
            int lineEnd = lf < 0 ? end : lf;
            int contentEnd = lf >= 0 && lineEnd > i && data[lineEnd - 1] == (byte)'\r' ? lineEnd - 1 : lineEnd;
            int length = contentEnd - i;
            if (relaxed)
            {
                if (line.Length < length) line = new byte[Math.Max(length, line.Length * 2)];
                int n = 0;
                bool space = false;
                for (int j = i; j < contentEnd; j++)
                {
                    byte b = data[j];
                    if (b == (byte)' ' || b == (byte)'\t')
                    {
                        space = true;
                        continue;
                    }
                    if (space) line[n++] = (byte)' ';
                    space = false;
                    line[n++] = b;
                }
                if (n == 0) pendingEmpty++;
                else
                {
                    for (; pendingEmpty > 0; pendingEmpty--) sink.Write(CrLf, 0, 2);
                    sink.Write(line, 0, n);
                    sink.Write(CrLf, 0, 2);
                    emitted = true;
                }
            }
            else if (length == 0)
            {
                pendingEmpty++;
            }
            else
            {
                for (; pendingEmpty > 0; pendingEmpty--) sink.Write(CrLf, 0, 2);
                sink.Write(data, i, length);
                sink.Write(CrLf, 0, 2);
                emitted = true;
            }
            if (lf < 0) break;
            i = lf + 1;
        }
        if (!relaxed && !emitted) sink.Write(CrLf, 0, 2);
        canonicalLength = sink.Total;
        return sink.Finish();
    }

    private sealed class HashSink
    {
        private readonly HashAlgorithm _hash;
        private readonly long? _limit;
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _used;
        private long _hashed;

        public HashSink(HashAlgorithm hash, long? limit)
        {
            _hash = hash;
            _limit = limit;
            _hash.Initialize();
        }

        public long Total { get; private set; }

        public void Write(byte[] data, int offset, int count)
        {
            Total += count;
            if (_limit.HasValue)
            {
                long room = _limit.Value - _hashed;
                if (room <= 0) return;
                if (count > room) count = (int)room;
            }
            _hashed += count;
            while (count > 0)
            {
                int n = Math.Min(count, _buffer.Length - _used);
                Buffer.BlockCopy(data, offset, _buffer, _used, n);
                _used += n;
                offset += n;
                count -= n;
                if (_used == _buffer.Length) Flush();
            }
        }

        private void Flush()
        {
            if (_used > 0) _hash.TransformBlock(_buffer, 0, _used, null, 0);
            _used = 0;
        }

        public byte[] Finish()
        {
            Flush();
            _hash.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            return _hash.Hash;
        }
    }
}
