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
}
