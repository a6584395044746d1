using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Spf;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>
/// RFC 9989 §4.4.1/§4.4.2: in strict mode the authenticated domain must be identical to the Author
/// Domain; strict never falls back to relaxed, whichever record supplies it (the Author Domain's, the
/// Organizational Domain's, a PSD's), in either discovery mode. A regression case from postalsys
/// mailauth's 2026 fixes.
/// </summary>
public sealed class StrictAlignmentTests
{
    private static InMemoryResolver Zone() => new InMemoryResolver()
        .AddA("example.com", "192.0.2.1")
        .AddA("mail.example.com", "192.0.2.1")
        .AddA("a.b.example.com", "192.0.2.1")
        .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=s")
        .AddA("relaxed.example.org", "192.0.2.1")
        .AddTxt("_dmarc.relaxed.example.org", "v=DMARC1; p=reject; adkim=s; aspf=r")
        .AddA("x.psd.example", "192.0.2.1")
        .AddTxt("_dmarc.example", "v=DMARC1; p=reject; psd=y; adkim=s; aspf=s");

    [Theory]
    // From, MAIL FROM, DKIM d= (comma-separated), discovery mode, expected SPF aligned, DKIM aligned
    [InlineData("example.com", "mail.example.com", "mail.example.com", DmarcDiscoveryMode.TreeWalk, false, false)]
    [InlineData("example.com", "mail.example.com", "mail.example.com", DmarcDiscoveryMode.Psl, false, false)]
    [InlineData("mail.example.com", "example.com", "example.com", DmarcDiscoveryMode.TreeWalk, false, false)]
    [InlineData("mail.example.com", "example.com", "example.com", DmarcDiscoveryMode.Psl, false, false)]
    [InlineData("a.b.example.com", "b.example.com", "b.example.com,example.com", DmarcDiscoveryMode.TreeWalk, false, false)]
    [InlineData("example.com", "EXAMPLE.COM", "Example.Com", DmarcDiscoveryMode.TreeWalk, true, true)]
    [InlineData("mail.example.com", "mail.example.com", "example.com,mail.example.com", DmarcDiscoveryMode.TreeWalk, true, true)]
    [InlineData("x.psd.example", "psd.example", "psd.example", DmarcDiscoveryMode.TreeWalk, false, false)]
    [InlineData("relaxed.example.org", "bounce.relaxed.example.org", "mail.relaxed.example.org", DmarcDiscoveryMode.TreeWalk, true, false)]
    public async Task Strict_alignment_never_falls_back_to_relaxed(string from, string mailFrom, string dkim, DmarcDiscoveryMode mode, bool spfAligned, bool dkimAligned)
    {
        var input = new DmarcEvaluationInput(from, mailFrom, SpfResult.Pass, dkim.Split(','));
        var r = await new DmarcEvaluator(Zone()).EvaluateAsync(input, mode);
        Assert.Equal(spfAligned, r.SpfAligned);
        Assert.Equal(dkimAligned, r.DkimAligned);
        Assert.Equal(spfAligned || dkimAligned ? DmarcResult.Pass : DmarcResult.Fail, r.Result);
    }

    [Fact]
    public async Task Strict_alignment_does_not_need_the_organizational_domain_so_a_dns_failure_there_is_still_a_plain_mismatch()
    {
        var dns = Zone().AddFailure("_dmarc.bounce.example.com", DnsErrorKind.Timeout);
        var r = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcEvaluationInput("example.com", "bounce.example.com", SpfResult.Pass, new[] { "bounce.example.com" }));
        Assert.False(r.SpfAligned);
        Assert.False(r.DkimAligned);
        Assert.Equal(DmarcResult.Fail, r.Result);
    }
}
