using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Spf;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Spf;

/// <summary>The SPF core against a real Knot DNS server serving tests/data/zones/spf.test.zone.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class SpfKnotTests
{
    private readonly KnotDnsServer _dns;

    public SpfKnotTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private Task<SpfCheckResult> Check(string ip, string mailFrom, string helo = "client.example") =>
        new SpfEvaluator(_dns.CreateResolver()).CheckHostAsync(IPAddress.Parse(ip), mailFrom, helo);

    [Theory]
    [InlineData("192.0.2.10", SpfResult.Pass, "ip4:192.0.2.0/25")]
    [InlineData("192.0.2.200", SpfResult.Pass, "a")]
    [InlineData("2001:db8::201", SpfResult.Pass, "mx")]
    [InlineData("198.51.100.200", SpfResult.Pass, "include:inc.spf.test")]
    [InlineData("2001:db8:1::5", SpfResult.Pass, "include:inc.spf.test")]
    [InlineData("203.0.113.5", SpfResult.Fail, "-all")]
    [InlineData("::ffff:192.0.2.10", SpfResult.Pass, "ip4:192.0.2.0/25")]
    public async Task Check_host_on_the_real_server(string ip, SpfResult expected, string term)
    {
        var r = await Check(ip, "someone@good.spf.test");
        Assert.Equal(expected, r.Result);
        Assert.Equal(term, r.MatchedTerm);
        Assert.Equal("good.spf.test", r.Domain);
    }

    [Theory]
    [InlineData("voids.spf.test", SpfResult.PermError)]
    [InlineData("loop.spf.test", SpfResult.PermError)]
    [InlineData("includenotfound.spf.test", SpfResult.PermError)]
    [InlineData("includebroken.spf.test", SpfResult.TempError)]
    [InlineData("includeinvalid.spf.test", SpfResult.PermError)]
    [InlineData("multiple.spf.test", SpfResult.PermError)]
    [InlineData("syntax.spf.test", SpfResult.PermError)]
    [InlineData("manymx.spf.test", SpfResult.PermError)]
    [InlineData("toomany.spf.test", SpfResult.PermError)]
    [InlineData("nospf.spf.test", SpfResult.None)]
    [InlineData("no-such-name.spf.test", SpfResult.None)]
    [InlineData("broken.test", SpfResult.TempError)]
    [InlineData("diamond.spf.test", SpfResult.Fail)]
    public async Task Broken_policies_give_the_rfc_result_with_a_reason(string domain, SpfResult expected)
    {
        var r = await Check("192.0.2.77", "x@" + domain);
        Assert.Equal(expected, r.Result);
        Assert.False(string.IsNullOrEmpty(r.Reason));
    }

    [Fact]
    public async Task Macro_exists_and_explanation_are_expanded()
    {
        Assert.Equal(SpfResult.Pass, (await Check("192.0.2.10", "a@macro.spf.test")).Result);
        var fail = await Check("192.0.2.11", "a@exp.spf.test");
        Assert.Equal(SpfResult.Fail, fail.Result);
        Assert.Equal("192.0.2.11 is not one of exp.spf.test's senders", fail.Explanation);
    }

    [Fact]
    public async Task Helo_identity_with_empty_mail_from()
    {
        var r = await Check("192.0.2.25", "", "mail.spf.test");
        Assert.Equal(SpfResult.Pass, r.Result);
        Assert.Equal("postmaster@mail.spf.test", r.MailFrom);
    }

    [Fact]
    public async Task Timeout_is_temperror_never_none()
    {
        using var silent = new SilentDnsServer();
        var resolver = new StubResolver(new DnsResolverOptions { Servers = new[] { silent.Endpoint }, Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        var r = await new SpfEvaluator(resolver).CheckHostAsync(IPAddress.Parse("192.0.2.1"), "a@good.spf.test", "h.example");
        Assert.Equal(SpfResult.TempError, r.Result);
        var inspected = await new SpfRecordInspector(resolver).InspectAsync("good.spf.test", true);
        Assert.Equal(RecordStatus.Error, inspected.Status);
        Assert.Equal(DnsErrorKind.Timeout, inspected.ErrorKind);
    }

    [Theory]
    [InlineData("nospf.spf.test", SpfFindingCodes.NotFound)]
    [InlineData("broken.test", SpfFindingCodes.LookupFailed)]
    [InlineData("multiple.spf.test", SpfFindingCodes.MultipleRecords)]
    [InlineData("syntax.spf.test", SpfFindingCodes.SyntaxError)]
    [InlineData("ptr.spf.test", SpfFindingCodes.PtrMechanism)]
    [InlineData("passall.spf.test", SpfFindingCodes.PassAll)]
    [InlineData("neutralall.spf.test", SpfFindingCodes.NeutralAll)]
    [InlineData("noall.spf.test", SpfFindingCodes.NoAll)]
    [InlineData("toomany.spf.test", SpfFindingCodes.TooManyLookups)]
    [InlineData("voids.spf.test", SpfFindingCodes.TooManyVoidLookups)]
    [InlineData("voids.spf.test", SpfFindingCodes.VoidLookup)]
    [InlineData("loop.spf.test", SpfFindingCodes.IncludeLoop)]
    [InlineData("includenotfound.spf.test", SpfFindingCodes.IncludeNotFound)]
    [InlineData("includebroken.spf.test", SpfFindingCodes.IncludeLookupFailed)]
    [InlineData("includeinvalid.spf.test", SpfFindingCodes.IncludeInvalid)]
    [InlineData("manymx.spf.test", SpfFindingCodes.TooManyMxNames)]
    [InlineData("redirectall.spf.test", SpfFindingCodes.RedirectIgnored)]
    [InlineData("termsafter.spf.test", SpfFindingCodes.TermsAfterAll)]
    [InlineData("deprecated.spf.test", SpfFindingCodes.DeprecatedRecordType)]
    [InlineData("unknownmod.spf.test", SpfFindingCodes.UnknownModifier)]
    [InlineData("macro.spf.test", SpfFindingCodes.MacroNotExpanded)]
    public async Task Each_finding_code_on_the_real_server(string domain, string code)
    {
        var r = await new SpfRecordInspector(_dns.CreateResolver(retries: 0)).InspectAsync(domain, true);
        Assert.Contains(r.Findings, f => f.Code == code);
        Assert.All(r.Findings.Where(f => f.Code == code), f =>
        {
            Assert.StartsWith("RFC ", f.Reference);
            Assert.False(string.IsNullOrEmpty(f.Message));
        });
    }

    [Fact]
    public async Task Healthy_record_has_no_warnings_and_its_networks_are_merged()
    {
        var r = await new SpfRecordInspector(_dns.CreateResolver()).InspectAsync("good.spf.test", true);
        Assert.Equal(RecordStatus.Found, r.Status);
        Assert.DoesNotContain(r.Findings, f => f.Severity != FindingSeverity.Info);
        Assert.Equal(SpfQualifier.Fail, r.All);
        Assert.Equal(3, r.DnsLookupCount);
        Assert.Equal(0, r.VoidLookupCount);
        Assert.Equal(new[] { "192.0.2.0/25", "192.0.2.200/31", "198.51.100.0/24", "2001:db8::201/128", "2001:db8:1::/48" },
            r.AuthorizedNetworks.Select(n => n.ToString()));
    }

    [Fact]
    public async Task Diamond_counts_each_path_and_is_not_a_loop()
    {
        var r = await new SpfRecordInspector(_dns.CreateResolver()).InspectAsync("diamond.spf.test", true);
        Assert.Equal(4, r.DnsLookupCount);
        Assert.DoesNotContain(r.Tree.Flatten(), n => n.IsLoop);
        Assert.DoesNotContain(r.Findings, f => f.Code == SpfFindingCodes.IncludeLoop);
        var toomany = await new SpfRecordInspector(_dns.CreateResolver()).InspectAsync("toomany.spf.test", true);
        Assert.Equal(12, toomany.DnsLookupCount);
    }

    [Fact]
    public async Task Nested_provider_includes_are_counted_and_their_networks_merged()
    {
        var r = await new SpfRecordInspector(_dns.CreateResolver()).InspectAsync("bench.spf.test", true);
        Assert.Equal(8, r.DnsLookupCount);
        Assert.Equal(new[] { 5, 3, 0, 0, 0, 0, 0 }, r.Tree.Flatten().Select(n => n.DnsLookupCount));
        Assert.Contains(r.AuthorizedNetworks, n => n.ToString() == "192.0.2.0/24");
        Assert.DoesNotContain(r.AuthorizedNetworks, n => n.ToString() == "192.0.2.80/32");
        Assert.Contains(r.AuthorizedNetworks, n => n.ToString() == "2001:db8::82/128");
        Assert.Contains(r.AuthorizedNetworks, n => n.ToString() == "40.92.0.0/15");
        Assert.Equal(r.AuthorizedNetworks.OrderBy(n => n).Select(n => n.ToString()), r.AuthorizedNetworks.Select(n => n.ToString()));
        var pass = await new SpfEvaluator(_dns.CreateResolver()).CheckHostAsync(IPAddress.Parse("2a00:1450:4000::1"), "x@bench.spf.test", "h.example");
        Assert.Equal(SpfResult.Pass, pass.Result);
        Assert.Equal("include:_spf.g.spf.test", pass.MatchedTerm);
    }

    [Fact]
    public async Task Record_split_into_strings_is_joined_without_spaces()
    {
        var r = await new SpfRecordInspector(_dns.CreateResolver()).InspectAsync("split.spf.test");
        Assert.Equal("v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 -all", r.Record);
        Assert.Equal(3, r.Terms.Count);
    }
}
