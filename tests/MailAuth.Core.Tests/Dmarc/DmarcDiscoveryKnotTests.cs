using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Spf;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>Policy discovery against the real Knot server serving tests/data/zones/dmarc.test.zone.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class DmarcDiscoveryKnotTests
{
    private readonly KnotDnsServer _dns;

    public DmarcDiscoveryKnotTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private Task<DmarcRecordResult> Discover(string domain, DmarcDiscoveryMode mode = DmarcDiscoveryMode.TreeWalk) =>
        new DmarcPolicyDiscoverer(_dns.CreateResolver()).DiscoverAsync(domain, mode);

    [Fact]
    public async Task Own_record_applies_p()
    {
        var r = await Discover("own.dmarc.test");
        Assert.Equal(RecordStatus.Found, r.Status);
        Assert.Equal("own.dmarc.test", r.RecordDomain);
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
        Assert.Equal(AppliedPolicySource.Policy, r.AppliedPolicySource);
        Assert.Equal(DmarcPolicy.Quarantine, r.SubdomainPolicy);
        Assert.Equal(DmarcPolicy.Reject, r.NonExistentSubdomainPolicy);
        Assert.Equal(AlignmentMode.Strict, r.DkimAlignment);
        Assert.Equal(AlignmentMode.Relaxed, r.SpfAlignment);
        Assert.Single(r.Queries);
    }

    [Fact]
    public async Task Existing_subdomain_inherits_sp()
    {
        var r = await Discover("exists.own.dmarc.test");
        Assert.Equal("own.dmarc.test", r.RecordDomain);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
        Assert.Equal(AppliedPolicySource.SubdomainPolicy, r.AppliedPolicySource);
        Assert.True(r.DomainExists);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.PolicyInherited);
    }

    [Fact]
    public async Task Subdomain_with_only_mx_exists()
    {
        var r = await Discover("mail.own.dmarc.test");
        Assert.Equal(AppliedPolicySource.SubdomainPolicy, r.AppliedPolicySource);
    }

    [Fact]
    public async Task Non_existent_subdomain_gets_np()
    {
        var r = await Discover("ghost.own.dmarc.test");
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
        Assert.Equal(AppliedPolicySource.NonExistentSubdomainPolicy, r.AppliedPolicySource);
        Assert.False(r.DomainExists);
    }

    [Theory]
    [InlineData("txtonly.own.dmarc.test")]
    [InlineData("ent.own.dmarc.test")]
    public async Task A_name_that_answers_nodata_exists_and_gets_sp(string domain)
    {
        var r = await Discover(domain);
        Assert.True(r.DomainExists);
        Assert.Equal(AppliedPolicySource.SubdomainPolicy, r.AppliedPolicySource);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
    }

    [Fact]
    public async Task Legacy_mode_ignores_np()
    {
        var r = await Discover("ghost.own.dmarc.test", DmarcDiscoveryMode.Psl);
        // The PSL has no "test" rule, so the implicit "*" rule makes dmarc.test the Organizational Domain: no record there.
        Assert.Equal(RecordStatus.NotFound, r.Status);
        Assert.Equal(new[] { "_dmarc.ghost.own.dmarc.test", "_dmarc.dmarc.test" }, r.Queries.Select(q => q.QueryName));
    }

    [Fact]
    public async Task TreeWalk_uses_psd_y_policy_when_the_organizational_domain_has_none()
    {
        var r = await Discover("www.shop.psd.dmarc.test");
        Assert.Equal(RecordStatus.Found, r.Status);
        Assert.Equal("psd.dmarc.test", r.RecordDomain);
        Assert.Equal("shop.psd.dmarc.test", r.OrganizationalDomain);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
        Assert.Equal(DmarcPsd.Yes, r.Psd);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.PublicSuffixPolicy);
        Assert.Equal(new[] { "_dmarc.www.shop.psd.dmarc.test", "_dmarc.shop.psd.dmarc.test", "_dmarc.psd.dmarc.test" }, r.Queries.Select(q => q.QueryName));
    }

    [Fact]
    public async Task TreeWalk_psd_y_np_applies_to_non_existent_names()
    {
        var r = await Discover("nothere.shop.psd.dmarc.test");
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
        Assert.Equal(AppliedPolicySource.NonExistentSubdomainPolicy, r.AppliedPolicySource);
    }

    [Fact]
    public async Task TreeWalk_stops_at_psd_y_boundary_and_prefers_the_organizational_domain_record()
    {
        var r = await Discover("a.member.psd.dmarc.test");
        Assert.Equal("member.psd.dmarc.test", r.RecordDomain);
        Assert.Equal("member.psd.dmarc.test", r.OrganizationalDomain);
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy); // sp=reject of member
        Assert.DoesNotContain(r.Queries, q => q.QueryName == "_dmarc.dmarc.test");
    }

    [Fact]
    public async Task TreeWalk_stops_at_psd_n()
    {
        var r = await Discover("x.unit.corp.dmarc.test");
        Assert.Equal("unit.corp.dmarc.test", r.RecordDomain);
        Assert.Equal("unit.corp.dmarc.test", r.OrganizationalDomain);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
        Assert.Equal(2, r.Queries.Count);
    }

    [Fact]
    public async Task TreeWalk_without_psd_takes_the_shortest_name_with_a_record()
    {
        var r = await Discover("y.other.corp.dmarc.test");
        Assert.Equal("corp.dmarc.test", r.OrganizationalDomain);
        Assert.Equal("corp.dmarc.test", r.RecordDomain);
        Assert.Equal(DmarcPolicy.Reject, r.AppliedPolicy);
    }

    [Fact]
    public async Task TreeWalk_of_a_long_name_makes_at_most_8_queries_and_skips_to_7_labels()
    {
        var r = await Discover("a.b.c.d.e.f.g.long.dmarc.test");
        Assert.Equal(8, r.Queries.Count);
        Assert.Equal("_dmarc.d.e.f.g.long.dmarc.test", r.Queries[1].QueryName);
        Assert.DoesNotContain(r.Queries, q => q.QueryName == "_dmarc.c.d.e.f.g.long.dmarc.test");
        Assert.Equal("long.dmarc.test", r.RecordDomain);
        Assert.Equal(DmarcPolicy.Quarantine, r.AppliedPolicy);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.TreeWalkShortened);
        Assert.DoesNotContain((await Discover("a.member.psd.dmarc.test")).Findings, f => f.Code == DmarcFindingCode.TreeWalkShortened);
    }

    [Fact]
    public async Task Servfail_mid_walk_is_error_not_not_found()
    {
        var r = await Discover("ok.sf.dmarc.test");
        Assert.Equal(RecordStatus.Error, r.Status);
        Assert.Equal(DnsErrorKind.ServerFailure, r.ErrorKind);
        Assert.Equal(2, r.Queries.Count);
        Assert.Equal(RecordStatus.NotFound, r.Queries[0].Status);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.LookupFailed);
    }

    [Fact]
    public async Task Multiple_records_are_discarded()
    {
        var r = await Discover("multi.dmarc.test");
        Assert.Equal(RecordStatus.NotFound, r.Status);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.MultipleRecords);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.NotFound);
    }

    [Fact]
    public async Task Non_dmarc_txt_is_ignored_and_split_strings_are_joined()
    {
        Assert.Equal(RecordStatus.NotFound, (await Discover("notdmarc.dmarc.test")).Status);
        var split = await Discover("split.dmarc.test");
        Assert.Equal(DmarcPolicy.Quarantine, split.Policy);
        Assert.Equal("mailto:r@split.dmarc.test", split.ReportUri.Single());
    }

    [Fact]
    public async Task Invalid_policy_with_rua_is_used_as_none_and_without_is_unusable()
    {
        var withRua = await Discover("badp.dmarc.test");
        Assert.Equal(DmarcPolicy.None, withRua.AppliedPolicy);
        Assert.Contains(withRua.Findings, f => f.Code == DmarcFindingCode.InvalidPolicy);
        var without = await Discover("badpnorua.dmarc.test");
        Assert.Null(without.AppliedPolicy);
        Assert.Contains(without.Findings, f => f.Code == DmarcFindingCode.PolicyUnusable);
    }

    [Fact]
    public async Task External_report_destinations_are_checked()
    {
        var r = await Discover("ext.dmarc.test");
        var byDomain = r.ReportAuthorizations.ToDictionary(a => a.DestinationDomain);
        Assert.Equal(RecordStatus.Found, byDomain["dest.dmarc.test"].Status);
        Assert.Equal("ext.dmarc.test._report._dmarc.dest.dmarc.test", byDomain["dest.dmarc.test"].QueryName);
        Assert.Equal(RecordStatus.NotFound, byDomain["nodest.dmarc.test"].Status);
        Assert.Equal(RecordStatus.Error, byDomain["x.broken.test"].Status);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.ExternalReportAuthorized);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.ExternalReportNotAuthorized);
        Assert.Contains(r.Findings, f => f.Code == DmarcFindingCode.ExternalReportCheckFailed);
    }

    [Fact]
    public async Task Own_report_destination_needs_no_authorization()
    {
        var r = await Discover("own.dmarc.test");
        Assert.Empty(r.ReportAuthorizations);
    }

    [Fact]
    public async Task Lookup_of_a_broken_zone_is_error()
    {
        var r = await Discover("broken.test");
        Assert.Equal(RecordStatus.Error, r.Status);
    }

    [Fact]
    public async Task Organizational_domain_finder_walks_the_tree()
    {
        var finder = new OrganizationalDomainFinder(_dns.CreateResolver());
        Assert.Equal("shop.psd.dmarc.test", (await finder.FindAsync("www.shop.psd.dmarc.test")).OrganizationalDomain);
        Assert.Equal("unit.corp.dmarc.test", (await finder.FindAsync("x.unit.corp.dmarc.test")).OrganizationalDomain);
        Assert.Equal("corp.dmarc.test", (await finder.FindAsync("y.other.corp.dmarc.test")).OrganizationalDomain);
        var none = await finder.FindAsync("dest.dmarc.test");
        Assert.Equal(RecordStatus.NotFound, none.Status);
        Assert.Equal("dest.dmarc.test", none.OrganizationalDomain);
        var failed = await finder.FindAsync("ok.sf.dmarc.test");
        Assert.Equal(RecordStatus.Error, failed.Status);
        Assert.Null(failed.OrganizationalDomain);
        Assert.Equal("dmarc.test", (await finder.FindAsync("y.other.corp.dmarc.test", DmarcDiscoveryMode.Psl)).OrganizationalDomain);
    }

    [Fact]
    public async Task Evaluation_against_the_real_server()
    {
        var evaluator = new DmarcEvaluator(_dns.CreateResolver());
        var fail = await evaluator.EvaluateAsync(new DmarcEvaluationInput("user@exists.own.dmarc.test", "bounce.amazonses.com", SpfResult.Pass, new[] { "amazonses.com" }));
        Assert.Equal(DmarcResult.Fail, fail.Result);
        Assert.Equal(DmarcDisposition.Quarantine, fail.Disposition);
        var pass = await evaluator.EvaluateAsync(new DmarcEvaluationInput("user@exists.own.dmarc.test", "bounce.exists.own.dmarc.test", SpfResult.Pass, new string[0]));
        Assert.Equal(DmarcResult.Pass, pass.Result);
        Assert.True(pass.SpfAligned);
        var temp = await evaluator.EvaluateAsync(new DmarcEvaluationInput("user@ok.sf.dmarc.test", "ok.sf.dmarc.test", SpfResult.Pass, new string[0]));
        Assert.Equal(DmarcResult.TempError, temp.Result);
    }
}
