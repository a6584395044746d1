using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MailAuth.AuthenticationResults;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.AuthenticationResults;

/// <summary>Public API calls that threw undocumented exceptions (issue 13 item 14).</summary>
public sealed class PublicApiEdgeTests
{
    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Spf_empty_term_is_an_error_not_an_exception(string token)
    {
        Assert.False(SpfRecordParser.TryParseTerm(token, out var term, out var error));
        Assert.Null(term);
        Assert.Contains("empty", error);
    }

    [Fact]
    public void Spf_macro_expansion_of_null_text_is_an_argument_error()
    {
        var context = new SpfMacroContext(System.Net.IPAddress.Parse("192.0.2.1"), "a@example.com", "example.com", "mail.example.com");
        Assert.Throws<System.ArgumentNullException>(() => MacroExpander.TryExpand(null, context, false, out _, out _));
    }

    [Theory]
    [InlineData("pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender) receiver=mybox.example.org; client-ip=192.0.2.1; envelope-from=\"myname@example.com\"; helo=foo.example.com;")]
    [InlineData("softfail")]
    [InlineData("fail (no) client-ip=2001:db8::1; x-note=\"two words; and a (paren\" (why)")]
    public void Received_spf_header_writes_itself_and_reads_back_the_same(string value)
    {
        var header = AuthenticationResultsParser.ParseReceivedSpf(value);
        var text = header.ToString();
        var again = AuthenticationResultsParser.ParseReceivedSpf(text);
        Assert.Equal(AuthenticationResultsSource.ReceivedSpf, again.Source);
        Assert.Equal(header.AuthServId, again.AuthServId);
        var (a, b) = (header.Results.Single(), again.Results.Single());
        Assert.Equal(a.Result, b.Result);
        Assert.Equal(a.Comment, b.Comment);
        Assert.Equal(a.Properties.Select(p => (p.Key, p.Value, p.Comment)), b.Properties.Select(p => (p.Key, p.Value, p.Comment)));
        Assert.StartsWith("Received-SPF: ", AuthenticationResultsWriter.WriteField(header));
    }

    [Theory]
    [InlineData("no colon here\r\n\r\n", 0)]
    [InlineData("\0\0\0", 0)]
    [InlineData(" folded first line: x\r\n\r\n", 0)]
    [InlineData(":\r\n\r\n", 0)]
    [InlineData("junk line\r\nAuthentication-Results: mx.example; spf=pass smtp.mailfrom=example.com\r\n\r\nbody", 1)]
    [InlineData("Authentication-Results: mx.example; spf=pass\nReceived-SPF: pass\n", 2)]
    public async Task Reader_returns_the_fields_it_finds_whatever_else_the_header_holds(string message, int count)
    {
        var fields = await AuthenticationResultsReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)));
        Assert.Equal(count, fields.Count);
        Assert.All(fields, f => Assert.NotNull(f.Header));
    }

    [Fact]
    public async Task Reader_stops_at_the_end_of_the_header()
    {
        var message = "Authentication-Results: mx.example; spf=pass\r\n\r\nAuthentication-Results: not; a=header\r\n";
        var fields = await AuthenticationResultsReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(message)));
        Assert.Single(fields);
    }
}
