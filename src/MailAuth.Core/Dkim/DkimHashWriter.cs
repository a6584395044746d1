using System;
using System.Security.Cryptography;

namespace MailAuth.Dkim;

/// <summary>The hash of a DKIM or ARC signature's a= (RFC 6376 §3.3, RFC 8463).</summary>
internal enum DkimHashAlgorithm
{
    Sha256,
    Sha1,
}

/// <summary>
/// Feeds canonicalized data to the hash as it is produced (RFC 6376 §3.7): small pieces (a word, a SP, a CRLF)
/// gather in a staging buffer, long runs go to the hash straight from the message bytes, so the body is never
/// copied whole. Counts the canonical octets and stops hashing after the l= limit (§3.4.5).
/// </summary>
internal sealed class DkimHashWriter
{
    /// <summary>Runs at least this long skip the staging buffer.</summary>
    private const int DirectRun = 1024;

    private static readonly byte[] CrLfBytes = { (byte)'\r', (byte)'\n' };

    private readonly IncrementalHash _hash;
    private readonly byte[] _staging;
    private int _staged;
    private long _limit;
    private long _hashed;

    /// <param name="hash">The hash algorithm.</param>
    /// <param name="stagingSize">The staging buffer's size; tests make it tiny to cross its edge everywhere.</param>
    internal DkimHashWriter(HashAlgorithmName hash, int stagingSize = 8192)
    {
        _hash = IncrementalHash.CreateHash(hash);
        _staging = new byte[stagingSize];
        Start(null);
    }

    /// <summary>Which hash this writer computes; set by the <see cref="DkimKeyCache"/> that pools it.</summary>
    internal DkimHashAlgorithm Algorithm { get; set; }

    /// <summary>Canonical octets written, including those past the limit.</summary>
    public long Total { get; private set; }

    /// <summary>Forgets anything written and sets the l= limit (null: no limit).</summary>
    internal void Start(long? limit)
    {
        if (_staged > 0 || _hashed > 0) _hash.GetHashAndReset();
        _staged = 0;
        _hashed = 0;
        _limit = limit ?? long.MaxValue;
        Total = 0;
    }

    public void Write(byte[] data, int offset, int count)
    {
        Total += count;
        long room = _limit - _hashed;
        if (count > room) count = (int)Math.Max(0, room);
        if (count == 0) return;
        _hashed += count;
        if (count >= DirectRun)
        {
            Flush();
            _hash.AppendData(data, offset, count);
            return;
        }
        if (count < _staging.Length - _staged)
        {
            // The common case, a piece of a line: one copy, no loop.
            new ReadOnlySpan<byte>(data, offset, count).CopyTo(new Span<byte>(_staging, _staged, count));
            _staged += count;
            return;
        }
        while (count > 0)
        {
            int n = Math.Min(count, _staging.Length - _staged);
            Buffer.BlockCopy(data, offset, _staging, _staged, n);
            _staged += n;
            offset += n;
            count -= n;
            if (_staged == _staging.Length) Flush();
        }
    }

    public void WriteByte(byte value)
    {
        Total++;
        if (_hashed >= _limit) return;
        _hashed++;
        _staging[_staged++] = value;
        if (_staged == _staging.Length) Flush();
    }

    public void WriteCrLf() => Write(CrLfBytes, 0, 2);

    /// <summary>The hash of everything written (up to the limit); the writer can then be started again.</summary>
    public byte[] Finish()
    {
        Flush();
        _hashed = 0;
        return _hash.GetHashAndReset();
    }

    private void Flush()
    {
        if (_staged > 0) _hash.AppendData(_staging, 0, _staged);
        _staged = 0;
    }
}
