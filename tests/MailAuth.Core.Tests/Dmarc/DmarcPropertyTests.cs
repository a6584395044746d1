using System.Linq;
using CsCheck;
using MailAuth.Dmarc;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>Properties that hold for any input: the tree walk's shape, and a parser that never throws.</summary>
public sealed class DmarcPropertyTests
{
    private static readonly Gen<string> Label = Gen.String[Gen.Char["abcxyz0-"], 1, 6].Where(l => l[0] != '-' && l[l.Length - 1] != '-');
    private static readonly Gen<string> Name = Label.Array[1, 40].Select(labels => string.Join(".", labels));

    [Fact]
    public void Tree_walk_targets_are_at_most_eight_shrinking_suffixes_ending_at_the_tld()
    {
        Name.Sample(name =>
        {
            var targets = DmarcTreeWalk.Targets(name);
            var labels = name.Split('.');
            Assert.True(targets.Count <= DmarcTreeWalk.MaxQueries);
            Assert.Equal(name, targets[0]);
            Assert.Equal(labels[labels.Length - 1], targets[targets.Count - 1]);
            for (int i = 1; i < targets.Count; i++)
            {
                Assert.EndsWith("." + targets[i], targets[i - 1]);
                Assert.True(targets[i].Split('.').Length <= DmarcTreeWalk.MaxQueries - 1);
            }
            Assert.Equal(System.Math.Min(labels.Length, DmarcTreeWalk.MaxQueries), targets.Count);
        });
    }

    [Fact]
    public void Parser_never_throws_and_keeps_the_text()
    {
        var tagText = Gen.OneOf(
            Gen.Const("v=DMARC1"), Gen.Const("p=reject"), Gen.Const("sp=bogus"), Gen.Const("rua=mailto:a@b.c!10m"),
            Gen.Const("pct=500"), Gen.Const("="), Gen.Const(";;"), Gen.Const("fo=1:d:x"), Gen.String[Gen.Char.AlphaNumeric, 0, 8]);
        tagText.Array[0, 12].Select(parts => string.Join("; ", parts)).Sample(text =>
        {
            var record = DmarcRecordParser.Parse(text);
            Assert.Equal(text, record.Text);
            Assert.All(record.Findings, f => Assert.False(string.IsNullOrEmpty(f.Code)));
        });
        Gen.String.Sample(text => Assert.NotNull(DmarcRecordParser.Parse(text)));
    }

    [Fact]
    public void Registrable_domain_is_a_suffix_of_the_name_and_one_label_longer_than_the_public_suffix()
    {
        var list = PublicSuffixList.Default;
        var tld = Gen.OneOf(Gen.Const("com"), Gen.Const("co.uk"), Gen.Const("kawasaki.jp"), Gen.Const("ck"), Gen.Const("unlistedtld"), Gen.Const("github.io"));
        Gen.Select(Label.Array[0, 4], tld).Sample((labels, suffix) =>
        {
            var name = string.Join(".", labels.Concat(new[] { suffix }));
            var registrable = list.GetRegistrableDomain(name);
            var publicSuffix = list.GetPublicSuffix(name);
            Assert.EndsWith(publicSuffix, name);
            if (registrable == null) Assert.Equal(name, publicSuffix);
            else
            {
                Assert.True(name == registrable || name.EndsWith("." + registrable));
                Assert.Equal(publicSuffix.Split('.').Length + 1, registrable.Split('.').Length);
            }
        });
    }
}
