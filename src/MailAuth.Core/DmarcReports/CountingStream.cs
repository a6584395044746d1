using System;
using System.IO;

namespace MailAuth.DmarcReports;

/// <summary>Counts the bytes read through it: the compressed side of a decompression ratio.</summary>
internal sealed class CountingStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;

    public CountingStream(Stream inner, bool leaveOpen = false)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _inner.Read(buffer, offset, count);
        BytesRead += n;
        return n;
    }

    public override long Length => _inner.Length;
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) _inner.Dispose();
        base.Dispose(disposing);
    }
}
