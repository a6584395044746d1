using System.Linq;
using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Common;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>Tree walk tables against the in-memory resolver.</summary>
public sealed class DmarcTreeWalkTests
{
    [Theory]
    [InlineData("example.com", "example.com,com")]
    [InlineData("a.mail.example.com", "a.mail.example.com,mail.example.com,example.com,com")]
    [InlineData("a.b.c.d.e.f.example.com", "a.b.c.d.e.f.example.com,b.c.d.e.f.example.com,c.d.e.f.example.com,d.e.f.example.com,e.f.example.com,f.example.com,example.com,com")]
    [InlineData("a.b.c.d.e.f.g.example.com", "a.b.c.d.e.f.g.example.com,c.d.e.f.g.example.com,d.e.f.g.example.com,e.f.g.example.com,f.g.example.com,g.example.com,example.com,com")]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.example.com", "1.2.3.4.5.6.7.8.9.10.11.12.example.com,8.9.10.11.12.example.com,9.10.11.12.example.com,10.11.12.example.com,11.12.example.com,12.example.com,example.com,com")]
    [InlineData("com", "com")]
    [InlineData("a.b.c.d.e.f.g.h.i.j.mail.example.com", "a.b.c.d.e.f.g.h.i.j.mail.example.com,g.h.i.j.mail.example.com,h.i.j.mail.example.com,i.j.mail.example.com,j.mail.example.com,mail.example.com,example.com,com")]
    public void Targets_follow_the_label_skipping_rule(string domain, string expected)
    {
        var targets = DmarcTreeWalk.Targets(domain);
        Assert.Equal(expected.Split(','), targets);
        Assert.True(targets.Count <= DmarcTreeWalk.MaxQueries);
    }

    [Theory]
    // from domain, records (name=record|...), expected record domain, expected org domain, expected applied policy
    [InlineData("a.mail.example.com", "mail.example.com=v=DMARC1; p=none|example.com=v=DMARC1; p=reject", "example.com", "example.com", DmarcPolicy.Reject)]
    [InlineData("a.mail.example.com", "com=v=DMARC1; p=quarantine; psd=y", "com", "example.com", DmarcPolicy.Quarantine)]
    [InlineData("mail.example.com", "mail.example.com=v=DMARC1; p=none|example.com=v=DMARC1; p=reject", "mail.example.com", null, DmarcPolicy.None)]
    [InlineData("x.example.com", "example.com=v=DMARC1; p=reject; sp=none|com=v=DMARC1; p=quarantine; psd=y", "example.com", "example.com", DmarcPolicy.None)]
    [InlineData("x.y.example.com", "y.example.com=v=DMARC1; p=quarantine; psd=n|example.com=v=DMARC1; p=reject", "y.example.com", "y.example.com", DmarcPolicy.Quarantine)]
    public async Task Policy_discovery_table(string from, string records, string recordDomain, string org, DmarcPolicy policy)
    {
        var dns = new InMemoryResolver();
        dns.AddA(from, "192.0.2.1");
        foreach (var r in records.Split('|'))
        {
            var eq = r.IndexOf('=');
            dns.AddTxt("_dmarc." + r.Substring(0, eq), r.Substring(eq + 1));
        }
        var result = await new DmarcPolicyDiscoverer(dns).DiscoverAsync(from, DmarcDiscoveryMode.TreeWalk, false);
        Assert.Equal(RecordStatus.Found, result.Status);
        Assert.Equal(recordDomain, result.RecordDomain);
        Assert.Equal(org, result.OrganizationalDomain);
        Assert.Equal(policy, result.AppliedPolicy);
    }

    [Fact]
    public async Task Psd_y_at_the_start_stops_the_walk_and_the_start_is_its_own_organizational_domain()
    {
        // RFC 9989 §4.10 step 2 stops at psd=y or psd=n; selection rule 2 skips the start's psd=y, so rule 3 picks the start.
        var dns = new InMemoryResolver()
            .AddTxt("_dmarc.gov.example", "v=DMARC1; p=reject; psd=y")
            .AddTxt("_dmarc.example", "v=DMARC1; p=none");
        var org = await new OrganizationalDomainFinder(dns).FindAsync("gov.example");
        Assert.Equal("gov.example", org.OrganizationalDomain);
        Assert.Single(org.Queries);
    }

    [Fact]
    public async Task Psd_y_above_the_start_makes_the_name_one_label_below_the_organizational_domain()
    {
        // The RFC's own example: only _dmarc.com, with psd=y, gives example.com for a.mail.example.com.
        var dns = new InMemoryResolver().AddTxt("_dmarc.com", "v=DMARC1; p=reject; psd=y");
        var org = await new OrganizationalDomainFinder(dns).FindAsync("a.mail.example.com");
        Assert.Equal("example.com", org.OrganizationalDomain);
        Assert.Equal(RecordStatus.Found, org.Status);
    }

    [Fact]
    public async Task Timeout_mid_walk_is_error()
    {
        var dns = new InMemoryResolver().AddA("a.b.example.com", "192.0.2.1").AddFailure("_dmarc.example.com", DnsErrorKind.Timeout);
        var result = await new DmarcPolicyDiscoverer(dns).DiscoverAsync("a.b.example.com");
        Assert.Equal(RecordStatus.Error, result.Status);
        Assert.Equal(DnsErrorKind.Timeout, result.ErrorKind);
        Assert.Equal(3, result.Queries.Count);
    }

    [Fact]
    public async Task Unknown_existence_falls_back_to_sp()
    {
        var dns = new InMemoryResolver()
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; np=none")
            .AddFailure("x.example.com", DnsErrorKind.ServerFailure, DnsRecordType.A);
        var result = await new DmarcPolicyDiscoverer(dns).DiscoverAsync("x.example.com");
        Assert.Equal(DmarcPolicy.Quarantine, result.AppliedPolicy);
        Assert.Null(result.DomainExists);
        Assert.Contains(result.Findings, f => f.Code == DmarcFindingCode.DomainExistenceUnknown);
    }

    [Fact]
    public async Task Walk_never_exceeds_eight_queries()
    {
        var dns = new InMemoryResolver();
        var name = string.Join(".", Enumerable.Range(1, 30).Select(i => "l" + i)) + ".example.com";
        dns.AddA(name, "192.0.2.1");
        var result = await new DmarcPolicyDiscoverer(dns).DiscoverAsync(name, DmarcDiscoveryMode.TreeWalk, false);
        Assert.Equal(RecordStatus.NotFound, result.Status);
        Assert.Equal(8, dns.QueryCount);
    }
}
