using System.Collections.Generic;
using System.IO;
using System.Linq;
using CsCheck;
using MailAuth.AuthenticationResults;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.AuthenticationResults;

public sealed class AuthenticationResultsParserTests
{
    public static IEnumerable<object[]> ParseCases() =>
        AuthResCases.Section("authres-doctests.yaml", "parse").Concat(AuthResCases.Section("grammar.yaml", "parse"));

    public static IEnumerable<object[]> ErrorCases() =>
        AuthResCases.Section("authres-doctests.yaml", "errors").Concat(AuthResCases.Section("grammar.yaml", "errors"));

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Parses_case(string file, string name)
    {
        var c = AuthResCases.Case(file, "parse", name);
        var header = AuthenticationResultsParser.Parse(AuthResCases.Scalar(c, "header"));

        Assert.Equal(AuthResCases.Scalar(c, "authserv-id"), header.AuthServId);
        Assert.Equal(AuthResCases.Scalar(c, "version"), header.Version?.ToString());
        Assert.Equal(AuthResCases.Scalar(c, "source") ?? "AuthenticationResults", header.Source.ToString());
        Assert.Equal(AuthResCases.Scalar(c, "instance"), header.Instance?.ToString());
        Assert.Equal(AuthResCases.Strings(c, "header-comments"), header.Comments);

        var expected = AuthResCases.Mappings(c, "results").ToList();
        Assert.Equal(expected.Count, header.Results.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = header.Results[i];
            Assert.Equal(AuthResCases.Scalar(want, "method"), got.Method);
            Assert.Equal(AuthResCases.Scalar(want, "methodVersion"), got.MethodVersion?.ToString());
            Assert.Equal(AuthResCases.Scalar(want, "result"), got.Result);
            Assert.Equal(AuthResCases.Scalar(want, "reason"), got.Reason);
            Assert.Equal(AuthResCases.Strings(want, "comments"), got.Comments);
            var text = AuthResCases.Scalar(want, "text");
            if (text != null) Assert.Equal(text, got.ToString());
            var props = AuthResCases.PropertyRows(want);
            Assert.Equal(props.Count, got.Properties.Count);
            for (var p = 0; p < props.Count; p++)
            {
                Assert.Equal(props[p][0], got.Properties[p].Type);
                Assert.Equal(props[p][1], got.Properties[p].Name);
                Assert.Equal(props[p][2], got.Properties[p].Value);
                Assert.Equal(props[p].Length > 3 ? props[p][3] : null, got.Properties[p].Comment);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Malformed_header_is_a_syntax_error_with_its_position(string file, string name)
    {
        var c = AuthResCases.Case(file, "errors", name);
        var text = AuthResCases.Scalar(c, "header");
        var at = AuthResCases.Scalar(c, "at");
        var error = Assert.Throws<AuthenticationResultsSyntaxException>(() => AuthenticationResultsParser.Parse(text));
        Assert.Equal(at.Length == 0 ? text.Length : text.LastIndexOf(at, System.StringComparison.Ordinal), error.Position);
        Assert.Equal(AuthenticationResultsSyntaxException.SyntaxErrorId, error.ErrorId);
        Assert.Contains("position " + error.Position, error.Message);
        Assert.False(AuthenticationResultsParser.TryParse(text, out _, out var tryError));
        Assert.Equal(error.Position, tryError.Position);
    }

    [Fact]
    public void Null_header_is_a_syntax_error_not_a_null_reference()
    {
        var error = Assert.Throws<AuthenticationResultsSyntaxException>(() => AuthenticationResultsParser.Parse(null));
        Assert.Equal(0, error.Position);
    }

    public static IEnumerable<object[]> Seeds() => SeedHeaders.Load().Select((s, i) => new object[] { i + 1, s.Configuration });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Parses_the_gmail_headers_of_seed_000(int number, string configuration)
    {
        var seed = SeedHeaders.Load()[number - 1];
        Assert.Equal(configuration, seed.Configuration);
        var header = AuthenticationResultsParser.Parse(seed.Field);
        Assert.Equal("mx.google.com", header.AuthServId);
        Assert.Equal(seed.Expected, header.Results.Select(r => r.Method + "=" + r.Result));
        foreach (var dkim in header.FindAll("dkim"))
        {
            Assert.StartsWith("@", dkim.Properties["header.i"]);
            Assert.Equal(32, dkim.Properties["header.s"].Length);
            Assert.Equal(8, dkim.Properties["header.b"].Length);
        }
        var spf = header.Find("spf");
        Assert.Contains(" designates 23.251.234.", spf.Comment);
        Assert.EndsWith(spf.Properties["smtp.mailfrom"].Split('@')[1], spf.Comment.Split(' ')[3]);
        var dmarc = header.Find("dmarc");
        if (dmarc != null)
        {
            Assert.Equal("p=NONE sp=NONE dis=NONE", dmarc.Comment);
            Assert.Equal("mail.kktkht94.work", dmarc.Properties["header.from"]);
        }
    }

    [Fact]
    public void Properties_are_indexed_by_key_case_insensitively()
    {
        var header = AuthenticationResultsParser.Parse("mx.example.net; dkim=pass header.d=example.com header.S=sel");
        var props = header.Results[0].Properties;
        Assert.Equal("example.com", props["HEADER.D"]);
        Assert.Equal("sel", props["header.s"]);
        Assert.Null(props["header.b"]);
        Assert.True(props.Contains("header.d"));
        Assert.Equal("header.d=example.com header.s=sel", props.ToString());
    }

    [Fact]
    public void Field_name_prefix_is_recognized_for_each_header_kind()
    {
        Assert.Equal(AuthenticationResultsSource.AuthenticationResults, AuthenticationResultsParser.Parse("authentication-results : a.example; none").Source);
        Assert.Equal(AuthenticationResultsSource.ArcAuthenticationResults, AuthenticationResultsParser.Parse("arc-authentication-results: i=1; a.example; none").Source);
        Assert.Equal(AuthenticationResultsSource.ReceivedSpf, AuthenticationResultsParser.Parse("received-spf: pass").Source);
    }

    [Fact]
    public void Arbitrary_input_gives_a_header_or_a_syntax_error_never_another_exception()
    {
        var alphabet = "abcdefghijklmnopqrstuvwxyzABC0123456789 \t\r\n;=.@()\"\\/:-_,ä中";
        CsCheck.Gen.String[CsCheck.Gen.Char[alphabet], 0, 80].Sample(text =>
        {
            foreach (var prefix in new[] { "", "ARC-Authentication-Results: ", "Received-SPF: ", "a.example; " })
            {
                try
                {
                    AuthenticationResultsParser.Parse(prefix + text);
                }
                catch (AuthenticationResultsSyntaxException ex)
                {
                    Assert.InRange(ex.Position, 0, (prefix + text).Length);
                }
            }
        }, iter: 5000);
    }
}
