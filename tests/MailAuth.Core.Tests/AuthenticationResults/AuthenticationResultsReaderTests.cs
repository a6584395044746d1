using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.AuthenticationResults;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.AuthenticationResults;

public sealed class AuthenticationResultsReaderTests
{
    [Fact]
    public async Task Reads_every_results_field_in_header_order_and_keeps_a_malformed_one_as_an_error()
    {
        using var stream = File.OpenRead(RepositoryPaths.DataFile("authres", "messages", "gmail-received.eml"));
        var fields = await AuthenticationResultsReader.ReadAsync(stream);

        Assert.Equal(new[] { "ARC-Authentication-Results", "Authentication-Results", "Received-SPF", "Authentication-Results", "Authentication-Results" },
            fields.Select(f => f.FieldName));
        Assert.Equal(Enumerable.Range(0, 5), fields.Select(f => f.Index));
        Assert.Equal(1, fields[0].Header.Instance);
        Assert.Equal(new[] { "dkim=pass", "dkim=pass", "spf=pass", "dmarc=pass" }, fields[1].Header.Results.Select(r => r.Method + "=" + r.Result));
        Assert.Equal("23.251.234.9", fields[2].Header.Results[0].Properties["client-ip"]);
        Assert.Null(fields[3].Header);
        Assert.Contains("position", fields[3].Error.Message);
        Assert.Empty(fields[4].Header.Results);
        Assert.Equal(new[] { "no checks on internal relay" }, fields[4].Header.Comments);

        var entries = fields.Where(f => f.Header != null).SelectMany(f => AuthenticationResultEntry.FromHeader(f.Header, f.Index, "x.eml")).ToList();
        Assert.Equal(3 + 4 + 1 + 1, entries.Count);
        Assert.Equal("none", entries.Last().Method);
        Assert.Equal(4, entries.Last().HeaderIndex);
        Assert.Equal("x.eml", entries[0].Path);
    }

    [Fact]
    public async Task Message_without_results_gives_no_fields()
    {
        using var stream = File.OpenRead(RepositoryPaths.DataFile("authres", "messages", "no-results.eml"));
        Assert.Empty(await AuthenticationResultsReader.ReadAsync(stream));
    }

    [Fact]
    public async Task Microsoft_365_header_without_an_authserv_id_is_read_leniently_and_refused_strictly()
    {
        using (var stream = File.OpenRead(RepositoryPaths.DataFile("authres", "messages", "microsoft365.eml")))
        {
            var field = Assert.Single(await AuthenticationResultsReader.ReadAsync(stream, lenient: true));
            Assert.Null(field.Error);
            Assert.Null(field.Header.AuthServId);
            Assert.Equal(new[] { "spf", "dkim", "dmarc", "compauth" }, field.Header.Results.Select(r => r.Method));
            Assert.All(field.Header.Results, r => Assert.Equal("pass", r.Result));
            Assert.Equal("100", field.Header.Results[3].Reason);
            Assert.Equal("mail.example.com", field.Header.Results[0].Properties["smtp.mailfrom"]);
            Assert.StartsWith("spf=pass", field.Header.ToString());
        }
        using (var stream = File.OpenRead(RepositoryPaths.DataFile("authres", "messages", "microsoft365.eml")))
        {
            var field = Assert.Single(await AuthenticationResultsReader.ReadAsync(stream));
            Assert.Null(field.Header);
            Assert.Contains("authserv-id", field.Error.Message);
        }
    }

    [Fact]
    public void Lenient_reading_keeps_an_authserv_id_that_is_there()
    {
        var header = AuthenticationResultsParser.Parse("mx.example.net; spf=pass smtp.mailfrom=example.com", lenient: true);
        Assert.Equal("mx.example.net", header.AuthServId);
        Assert.Equal("spf", Assert.Single(header.Results).Method);
    }

    /// <summary>
    /// A header of many folded lines reads in linear time (issue 13: a 10 MB folded Subject took 181 s through MimeKit's header
    /// parser). 3 MB of folded lines around an Authentication-Results field must read in seconds, and the field after it too.
    /// </summary>
    [Fact]
    public async Task Header_with_millions_of_folded_lines_reads_in_linear_time()
    {
        var message = FoldedSubjectMessage(3 * 1024 * 1024, "Authentication-Results: mx.test; spf=pass smtp.mailfrom=a.test\r\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fields = await AuthenticationResultsReader.ReadAsync(new MemoryStream(message));
        clock.Stop();
        Assert.True(clock.Elapsed < System.TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(new[] { "spf=pass" }, fields.Single().Header.Results.Select(r => r.Method + "=" + r.Result));
    }

    /// <summary>The header only: the body of a message is not read (a stream that fails past the header proves it).</summary>
    [Fact]
    public async Task Body_is_not_read()
    {
        var header = System.Text.Encoding.ASCII.GetBytes("From: a@b.test\r\nAuthentication-Results: mx.test; dkim=none\r\n\r\n");
        var fields = await AuthenticationResultsReader.ReadAsync(new HeaderOnlyStream(header));
        Assert.Equal("dkim=none", fields.Single().Header.Results.Single().Method + "=" + fields.Single().Header.Results.Single().Result);
    }

    /// <summary>A message whose Subject is folded into about <paramref name="size"/> bytes of short lines, with <paramref name="after"/> after it.</summary>
    internal static byte[] FoldedSubjectMessage(int size, string after)
    {
        var sb = new System.Text.StringBuilder(size + 200);
        sb.Append("From: Alice <alice@mail.kktkht94.work>\r\nTo: bob@example.net\r\nSubject: folded");
        while (sb.Length < size) sb.Append("\r\n x");
        sb.Append("\r\n").Append(after).Append("\r\nBody.\r\n");
        return System.Text.Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>Gives the header bytes in small reads, then throws if anyone reads on.</summary>
    private sealed class HeaderOnlyStream : Stream
    {
        private readonly byte[] _header;
        private int _position;

        public HeaderOnlyStream(byte[] header) => _header = header;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position == _header.Length) throw new IOException("the body was read");
            int n = System.Math.Min(System.Math.Min(count, 7), _header.Length - _position);
            System.Buffer.BlockCopy(_header, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new System.NotSupportedException();
        public override long Position { get => throw new System.NotSupportedException(); set => throw new System.NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new System.NotSupportedException();
        public override void SetLength(long value) => throw new System.NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new System.NotSupportedException();
    }
}
