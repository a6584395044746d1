using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace MailAuth.DmarcReports;

/// <summary>
/// Passes a report's bytes through unchanged and keeps the first few hundred, so that when the XML
/// reader refuses the document's encoding the encoding its declaration names (XML 1.0 §4.3.3) can be
/// reported: "unsupported encoding X" rather than a complaint about the bytes.
/// </summary>
internal sealed class XmlDeclarationStream : ReadOnlyForwardStream
{
    private const int PrefixLength = 512;
    private static readonly Regex EncodingDeclaration = new Regex(
        @"^\s*<\?xml\s[^>]*?\bencoding\s*=\s*([""'])(?<name>[A-Za-z][A-Za-z0-9._\-]*)\1", RegexOptions.CultureInvariant);

    private readonly Stream _inner;
    private readonly byte[] _prefix = new byte[PrefixLength];
    private int _prefixCount;

    public XmlDeclarationStream(Stream inner) => _inner = inner;

    /// <summary>
    /// The encoding named in the XML declaration when this runtime cannot provide it, else null
    /// (no declaration, no encoding in it, or one that <see cref="Encoding.GetEncoding(string)"/> knows).
    /// </summary>
    public string UnsupportedEncoding
    {
        get
        {
            int start = _prefixCount >= 3 && _prefix[0] == 0xEF && _prefix[1] == 0xBB && _prefix[2] == 0xBF ? 3 : 0;
            var text = Encoding.GetEncoding("iso-8859-1").GetString(_prefix, start, _prefixCount - start);
            var match = EncodingDeclaration.Match(text);
            if (!match.Success) return null;
            var name = match.Groups["name"].Value;
            try
            {
                Encoding.GetEncoding(name);
                return null;
            }
            catch (ArgumentException)
            {
                return name;
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _inner.Read(buffer, offset, count);
        int keep = Math.Min(n, PrefixLength - _prefixCount);
        if (keep > 0)
        {
            Buffer.BlockCopy(buffer, offset, _prefix, _prefixCount, keep);
            _prefixCount += keep;
        }
        return n;
    }

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
}
