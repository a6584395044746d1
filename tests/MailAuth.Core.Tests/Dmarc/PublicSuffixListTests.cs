using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using MailAuth.Dmarc;
using MailAuth.Common;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dmarc;

public sealed class PublicSuffixListTests
{
    /// <summary>The checkPublicSuffix vectors shipped by Debian's publicsuffix (tests/data/psl/test_psl.txt, CC0).</summary>
    public static IEnumerable<object[]> Vectors()
    {
        var pattern = new Regex(@"^checkPublicSuffix\((null|'[^']*'),\s*(null|'[^']*')\);");
        foreach (var line in File.ReadAllLines(RepositoryPaths.DataFile("psl", "test_psl.txt")))
        {
            var m = pattern.Match(line.Trim());
            if (!m.Success) continue;
            string Arg(string s) => s == "null" ? null : s.Trim('\'');
            yield return new object[] { Arg(m.Groups[1].Value), Arg(m.Groups[2].Value) };
        }
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Registrable_domain_matches_the_checkPublicSuffix_vectors(string domain, string expected)
    {
        // MailAuth answers in A-labels (RFC 9989 §5.3.1); the vectors answer in the input's form.
        var expectedAscii = expected == null ? null : new System.Globalization.IdnMapping().GetAscii(expected).ToLowerInvariant();
        Assert.Equal(expectedAscii, PublicSuffixList.Default.GetRegistrableDomain(domain));
    }

    [Fact]
    public void Vectors_are_present()
    {
        Assert.True(new List<object[]>(Vectors()).Count > 60);
    }

    [Theory]
    [InlineData("www.example.co.uk", "co.uk")]
    [InlineData("a.b.kawasaki.jp", "b.kawasaki.jp")]
    [InlineData("city.kawasaki.jp", "kawasaki.jp")]
    [InlineData("example.unlistedtld", "unlistedtld")]
    public void Public_suffix_follows_wildcards_and_exceptions(string domain, string suffix)
    {
        Assert.Equal(suffix, PublicSuffixList.Default.GetPublicSuffix(domain));
    }

    [Fact]
    public void A_newer_list_can_be_loaded_from_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "mailauth-psl-" + System.Guid.NewGuid() + ".dat");
        File.WriteAllText(path, "// test list\ntest\n*.zone.test\n!open.zone.test\n");
        try
        {
            var list = PublicSuffixList.Load(path);
            Assert.Equal(3, list.RuleCount);
            Assert.Equal("example.test", list.GetRegistrableDomain("www.example.test"));
            Assert.Equal("a.b.zone.test", list.GetRegistrableDomain("x.a.b.zone.test"));
            Assert.Equal("open.zone.test", list.GetRegistrableDomain("www.open.zone.test"));
            Assert.True(list.IsPublicSuffix("b.zone.test"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Unreadable_list_is_input_error()
    {
        var ex = Assert.Throws<MailAuthInputException>(() => PublicSuffixList.Load("/nonexistent/psl.dat"));
        Assert.Equal(PublicSuffixList.UnreadableListErrorId, ex.ErrorId);
    }
}
