using System;
using System.IO;

namespace MailAuth.DmarcReports;

/// <summary>Passes reads through to a stream that its owner closes, so that readers layered on it cannot.</summary>
internal sealed class NonClosingStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;

    public NonClosingStream(Stream inner) => _inner = inner;

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
}
