using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Publishing;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

public sealed class SpfRecordEditorTests
{
    [Theory]
    [InlineData("v=spf1 include:_spf.google.com ~all", "v=spf1 include:amazonses.com -all", "v=spf1 include:_spf.google.com include:amazonses.com ~all")]
    [InlineData("v=spf1 mx -all", "v=spf1 mx ip4:192.0.2.1 -all", "v=spf1 mx ip4:192.0.2.1 -all")]
    [InlineData("v=spf1 a +all", "v=spf1 mx -all", "v=spf1 a mx ~all")]
    [InlineData("v=spf1 a exp=explain.example", "v=spf1 mx", "v=spf1 a mx exp=explain.example")]
    public void Merge_keeps_every_mechanism_and_the_softer_all_but_never_softer_than_softfail(string first, string second, string merged) =>
        Assert.Equal(merged, SpfRecordEditor.Merge(new[] { first, second }));

    [Theory]
    [InlineData("v=spf1 redirect=_spf.example.com")]
    [InlineData("v=spf1 ip4:not-an-address -all")]
    public void Merge_leaves_a_redirect_or_a_broken_record_to_a_person(string second) =>
        Assert.Null(SpfRecordEditor.Merge(new[] { "v=spf1 mx -all", second }));

    [Theory]
    [InlineData("v=spf1 mx -all", "v=spf1 mx include:amazonses.com -all")]
    [InlineData("v=spf1 mx", "v=spf1 mx include:amazonses.com")]
    [InlineData("v=spf1 mx redirect=_spf.example.com", "v=spf1 mx include:amazonses.com redirect=_spf.example.com")]
    [InlineData("v=spf1 include:amazonses.com -all", "v=spf1 include:amazonses.com -all")]
    public void WithInclude_adds_the_include_before_all_or_the_modifiers(string record, string expected) =>
        Assert.Equal(expected, SpfRecordEditor.WithInclude(record, "amazonses.com"));

    [Fact]
    public async Task Get_SpfRecord_with_two_records_proposes_one_merged_record_and_deletes_the_other_by_its_exact_value()
    {
        var zone = new InMemoryResolver().AddTxt("two.example", "v=spf1 include:_spf.google.com ~all").AddTxt("two.example", "v=spf1 include:amazonses.com -all");
        var result = await new SpfRecordInspector(zone).InspectAsync("two.example");
        Assert.Equal(2, result.Records.Count);
        Assert.Equal(new[] { DnsChangeAction.Replace, DnsChangeAction.Delete }, result.Changes.Select(c => c.Action));
        Assert.Equal("v=spf1 include:_spf.google.com ~all", result.Changes[0].OldValue);
        Assert.Equal("v=spf1 include:_spf.google.com include:amazonses.com ~all", result.Changes[0].NewValue);
        Assert.Equal("v=spf1 include:amazonses.com -all", result.Changes[1].OldValue);
        Assert.Equal("RFC 7208 §4.5", result.Changes[1].Reference);
    }

    [Fact]
    public async Task Get_SpfRecord_with_one_record_proposes_nothing()
    {
        var result = await new SpfRecordInspector(new InMemoryResolver().AddTxt("one.example", "v=spf1 mx -all")).InspectAsync("one.example");
        Assert.Empty(result.Changes);
        Assert.Equal(new[] { "v=spf1 mx -all" }, result.Records);
    }

    [Fact]
    public async Task Get_DmarcRecord_without_a_policy_proposes_p_none_at_the_domain()
    {
        var result = await new DmarcPolicyDiscoverer(new InMemoryResolver().AddA("sub.nodmarc.example", "192.0.2.1")).DiscoverAsync("sub.nodmarc.example");
        var change = Assert.Single(result.Changes);
        Assert.Equal(DnsChangeAction.Add, change.Action);
        Assert.Equal("_dmarc.sub.nodmarc.example", change.Name);
        Assert.Equal("TXT", change.Type);
        Assert.Equal("v=DMARC1; p=none;", change.NewValue);
        Assert.Contains("rua=", change.Reason);
    }
}
