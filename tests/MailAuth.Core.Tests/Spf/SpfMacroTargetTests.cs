using System.Net;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

/// <summary>
/// RFC 7208 §7.3: the d macro is the &lt;domain&gt; argument of the check_host() that is evaluating the
/// term, so inside an include: or redirect= target it is the domain whose record holds the term, and
/// inside the included or redirected record it is the new target (RFC 7208 §5.2, §6.1). A regression
/// case from postalsys mailauth's 2026 fixes.
/// </summary>
public sealed class SpfMacroTargetTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private static Task<SpfCheckResult> Check(InMemoryResolver dns) =>
        new SpfEvaluator(dns).CheckHostAsync(Client, "user@a.example", "mail.a.example");

    [Fact]
    public async Task D_in_an_include_target_is_the_domain_holding_the_include()
    {
        var dns = new InMemoryResolver()
            .AddTxt("a.example", "v=spf1 include:%{d}.spf.example.net -all")
            .AddTxt("a.example.spf.example.net", "v=spf1 ip4:192.0.2.10 -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
    }

    [Fact]
    public async Task D_in_a_nested_include_target_is_the_included_domain_not_the_original()
    {
        var dns = new InMemoryResolver()
            .AddTxt("a.example", "v=spf1 include:b.example -all")
            .AddTxt("b.example", "v=spf1 include:%{d}.spf.example.net -all")
            .AddTxt("b.example.spf.example.net", "v=spf1 ip4:192.0.2.10 -all")
            .AddTxt("a.example.spf.example.net", "v=spf1 -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
    }

    [Fact]
    public async Task D_in_a_redirect_target_is_the_domain_holding_the_redirect()
    {
        var dns = new InMemoryResolver()
            .AddTxt("a.example", "v=spf1 include:b.example -all")
            .AddTxt("b.example", "v=spf1 redirect=%{d}.spf.example.net")
            .AddTxt("b.example.spf.example.net", "v=spf1 ip4:192.0.2.10 -all")
            .AddTxt("a.example.spf.example.net", "v=spf1 -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
    }

    [Fact]
    public async Task D_inside_the_included_record_is_the_included_domain()
    {
        var dns = new InMemoryResolver()
            .AddTxt("a.example", "v=spf1 include:b.example -all")
            .AddTxt("b.example", "v=spf1 exists:%{d}.check.example.net -all")
            .AddA("b.example.check.example.net", "127.0.0.2");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
    }

    [Fact]
    public async Task D_inside_the_redirected_record_is_the_redirect_target()
    {
        var dns = new InMemoryResolver()
            .AddTxt("a.example", "v=spf1 redirect=b.example")
            .AddTxt("b.example", "v=spf1 exists:%{d}.check.example.net -all")
            .AddA("b.example.check.example.net", "127.0.0.2");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
        Assert.Equal("exists:%{d}.check.example.net", r.MatchedTerm);
    }

    [Fact]
    public async Task O_stays_the_mail_from_domain_inside_an_include()
    {
        // RFC 7208 §7.3: o is the domain of the <sender>, which include: and redirect= do not change.
        var dns = new InMemoryResolver()
            .AddTxt("a.example", "v=spf1 include:b.example -all")
            .AddTxt("b.example", "v=spf1 exists:%{o}.check.example.net -all")
            .AddA("a.example.check.example.net", "127.0.0.2");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
    }
}
