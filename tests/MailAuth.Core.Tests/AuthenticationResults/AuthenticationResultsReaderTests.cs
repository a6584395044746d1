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
}
