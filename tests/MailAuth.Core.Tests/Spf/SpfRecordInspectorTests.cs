using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

/// <summary>Get-SpfRecord's core against in-memory zones: the tree, the totals, the networks, and findings only reachable in memory.</summary>
public sealed class SpfRecordInspectorTests
{
    [Fact]
    public async Task Expand_counts_every_lookup_of_the_tree_and_a_diamond_twice()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 a mx include:left.example.com include:right.example.com -all")
            .AddA("example.com", "192.0.2.1")
            .AddMx("example.com", 10, "mx.example.com")
            .AddA("mx.example.com", "192.0.2.2")
            .AddTxt("left.example.com", "v=spf1 include:shared.example.com -all")
            .AddTxt("right.example.com", "v=spf1 include:shared.example.com ~all")
            .AddTxt("shared.example.com", "v=spf1 ip4:203.0.113.0/25 ip4:203.0.113.128/25 ip6:2001:db8::/32 -all");
        var r = await new SpfRecordInspector(dns).InspectAsync("example.com", true);
        Assert.Equal(6, r.DnsLookupCount);
        Assert.Equal(0, r.VoidLookupCount);
        Assert.DoesNotContain(r.Tree.Flatten(), n => n.IsLoop);
        Assert.Equal(new[] { 4, 1, 0, 1, 0 }, r.Tree.Flatten().Select(n => n.DnsLookupCount));
        Assert.Equal(new[] { "192.0.2.1/32", "192.0.2.2/32", "203.0.113.0/24", "2001:db8::/32" }, r.AuthorizedNetworks.Select(n => n.ToString()));
    }

    [Fact]
    public void Merges_adjacent_networks_and_drops_contained_ones()
    {
        var merged = SpfNetwork.Merge(new[] { "10.0.0.0/25", "10.0.0.128/25", "10.0.0.7/32", "10.0.2.0/24", "2001:db8::1/128", "2001:db8::/127" }
            .Select(s => new SpfNetwork(System.Net.IPAddress.Parse(s.Split('/')[0]), int.Parse(s.Split('/')[1]))));
        Assert.Equal(new[] { "10.0.0.0/24", "10.0.2.0/24", "2001:db8::/127" }, merged.Select(n => n.ToString()));
    }

    [Fact]
    public async Task String_over_255_characters_is_a_finding()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 " + string.Join(" ", Enumerable.Range(1, 20).Select(i => $"ip4:192.0.2.{i}")) + " -all");
        var r = await new SpfRecordInspector(dns).InspectAsync("example.com");
        Assert.Contains(r.Findings, f => f.Code == SpfFindingCodes.StringTooLong && f.Reference == "RFC 7208 §3.3");
    }

    [Fact]
    public async Task Too_many_mx_names_is_a_finding()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 mx -all");
        for (int i = 0; i < 11; i++) dns.AddMx("example.com", i, $"mx{i}.example.com");
        var r = await new SpfRecordInspector(dns).InspectAsync("example.com", true);
        Assert.Contains(r.Findings, f => f.Code == SpfFindingCodes.TooManyMxNames);
    }

    [Fact]
    public async Task Inspector_and_evaluator_agree_on_the_lookup_count_of_a_record_that_matches_nothing()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 a:x.example.com mx:x.example.com include:i.example.com exists:e.example.com redirect=r.example.com")
            .AddA("x.example.com", "198.51.100.1")
            .AddMx("x.example.com", 1, "x.example.com")
            .AddTxt("i.example.com", "v=spf1 a:x.example.com ?all")
            .AddTxt("r.example.com", "v=spf1 a:x.example.com include:i.example.com -all");
        var inspected = await new SpfRecordInspector(dns).InspectAsync("example.com", true);
        var evaluated = await new SpfEvaluator(dns).CheckHostAsync(System.Net.IPAddress.Parse("192.0.2.99"), "a@example.com", "h.example.com");
        Assert.Equal(SpfResult.Fail, evaluated.Result);
        Assert.Equal(evaluated.DnsLookupCount, inspected.DnsLookupCount);
        Assert.Equal(9, inspected.DnsLookupCount);
        Assert.Equal(evaluated.VoidLookupCount, inspected.VoidLookupCount);
    }

    [Fact]
    public async Task Timeout_is_error_not_not_found()
    {
        var dns = new InMemoryResolver().AddFailure("example.com", DnsErrorKind.Timeout);
        var r = await new SpfRecordInspector(dns).InspectAsync("example.com", true);
        Assert.Equal(RecordStatus.Error, r.Status);
        Assert.Equal(DnsErrorKind.Timeout, r.ErrorKind);
        Assert.Contains(r.Findings, f => f.Code == SpfFindingCodes.LookupFailed);
    }
}
