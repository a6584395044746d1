using System.Collections.Generic;
using System.Linq;
using CsCheck;
using MailAuth.AuthenticationResults;
using Xunit;

namespace MailAuth.Tests.AuthenticationResults;

public sealed class AuthenticationResultsWriterTests
{
    public static IEnumerable<object[]> WriteCases() => AuthResCases.Section("authres-doctests.yaml", "write");

    [Theory]
    [MemberData(nameof(WriteCases))]
    public void Writes_the_header_python3_authres_writes(string file, string name)
    {
        var c = AuthResCases.Case(file, "write", name);
        var version = AuthResCases.Scalar(c, "version");
        var header = new AuthenticationResultsHeader(
            AuthResCases.Scalar(c, "authserv-id"),
            AuthResCases.Mappings(c, "results").Select(AuthResCases.BuildResult),
            version == null ? null : int.Parse(version),
            AuthResCases.Strings(c, "comments"));

        var field = AuthenticationResultsWriter.WriteField(header);

        Assert.Equal(AuthResCases.Scalar(c, "expected"), field);
        AssertSame(header, AuthenticationResultsParser.Parse(field));
    }

    public static IEnumerable<object[]> ParseCases() => AuthenticationResultsParserTests.ParseCases();

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Every_parsed_case_round_trips_through_the_writer(string file, string name)
    {
        var parsed = AuthenticationResultsParser.Parse(AuthResCases.Scalar(AuthResCases.Case(file, "parse", name), "header"));
        if (parsed.Source == AuthenticationResultsSource.ReceivedSpf) return;
        foreach (var fold in new[] { false, true })
        {
            var written = AuthenticationResultsWriter.WriteField(parsed, fold);
            AssertSame(parsed, AuthenticationResultsParser.Parse(written));
        }
    }

    [Fact]
    public void Folded_output_puts_each_result_on_its_own_line()
    {
        var header = new AuthenticationResultsHeader("mx.example.net", new[]
        {
            AuthenticationResultsWriter.Result("spf", "pass", null, ("smtp.mailfrom", "a@example.com")),
            AuthenticationResultsWriter.Result("dmarc", "pass", "p=NONE sp=NONE dis=NONE", ("header.from", "example.com")),
        });
        Assert.Equal(
            "Authentication-Results: mx.example.net;\r\n\tspf=pass smtp.mailfrom=a@example.com;\r\n\tdmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com",
            AuthenticationResultsWriter.WriteField(header, fold: true));
    }

    [Fact]
    public void Arc_header_carries_its_instance()
    {
        var header = new AuthenticationResultsHeader("lists.example.org", new[] { AuthenticationResultsWriter.Result("spf", "pass") },
            source: AuthenticationResultsSource.ArcAuthenticationResults, instance: 3);
        var field = AuthenticationResultsWriter.WriteField(header);
        Assert.Equal("ARC-Authentication-Results: i=3; lists.example.org; spf=pass", field);
        Assert.Equal(3, AuthenticationResultsParser.Parse(field).Instance);
    }

    [Theory]
    [InlineData("\"!hcI =I\\[lt\"@&$v")] // found by the round trip below: a quoted-pair in the quoted local part
    [InlineData("\"a\\\"b\"@example.com")]
    [InlineData("\"first last\"@example.com")]
    public void Value_with_a_quoted_local_part_round_trips(string value)
    {
        var header = new AuthenticationResultsHeader("mx.example.com", new[]
        {
            new AuthenticationResult("dkim", "pass", new[] { new AuthenticationResultProperty("header", "i", value, null) }, null, null),
        });
        var read = AuthenticationResultsParser.Parse(AuthenticationResultsWriter.Write(header));
        Assert.Equal(value, read.Results[0].Properties[0].Value);
    }

    [Fact]
    public void Arbitrary_values_and_comments_round_trip()
    {
        var text = Gen.String[Gen.Char[' ', '~'], 0, 20];
        // Comments read back with their whitespace collapsed, so generate them that way.
        var comment = text.Select(s => System.Text.RegularExpressions.Regex.Replace(s.Trim(), " +", " ")).Where(s => s.Length > 0);
        var keyword = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 10].Where(s => char.IsLetterOrDigit(s[0]));
        var property = Gen.Select(Gen.OneOfConst("smtp", "header", "body", "policy"), keyword, text, comment.Null())
            .Select((t, n, v, c) => new AuthenticationResultProperty(t, n, v, c));
        var result = Gen.Select(keyword, keyword, text.Null(), comment.List[0, 2], property.List[0, 4])
            .Select((m, r, reason, comments, props) => new AuthenticationResult(m, r, props, reason, comments));
        var header = Gen.Select(text.Where(s => s.Length > 0), result.List[0, 4], comment.List[0, 2]).Select((id, rs, cs) => new AuthenticationResultsHeader(id, rs, comments: cs));

        header.Sample(h => AssertSame(h, AuthenticationResultsParser.Parse(AuthenticationResultsWriter.Write(h))), iter: 2000);
    }

    private static string Joined(System.Collections.Generic.IReadOnlyList<string> comments) => comments.Count == 0 ? null : string.Join("; ", comments);

    /// <summary>Same header, with a result's comments compared as the one Comment the writer emits.</summary>
    private static void AssertSame(AuthenticationResultsHeader want, AuthenticationResultsHeader got)
    {
        Assert.Equal(want.AuthServId, got.AuthServId);
        Assert.Equal(want.Version, got.Version);
        Assert.Equal(want.Instance, got.Instance);
        Assert.Equal(Joined(want.Comments), Joined(got.Comments));
        Assert.Equal(want.Results.Count, got.Results.Count);
        for (var i = 0; i < want.Results.Count; i++)
        {
            var w = want.Results[i];
            var g = got.Results[i];
            Assert.Equal(w.Method, g.Method);
            Assert.Equal(w.Result, g.Result);
            Assert.Equal(w.Reason, g.Reason);
            Assert.Equal(w.Comment, g.Comment);
            Assert.Equal(w.Properties.Select(p => (p.Type, p.Name, p.Value, p.Comment)), g.Properties.Select(p => (p.Type, p.Name, p.Value, p.Comment)));
        }
    }
}
