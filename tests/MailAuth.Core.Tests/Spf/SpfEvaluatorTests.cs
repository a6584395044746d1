using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using MailAuth.Dns;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

/// <summary>check_host() behaviour beyond the openspf suite: exact lookup counting and hostile records.</summary>
public sealed class SpfEvaluatorTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private static Task<SpfCheckResult> Check(InMemoryResolver dns, string mailFrom = "user@example.com", IPAddress ip = null, string helo = "mail.example.com") =>
        new SpfEvaluator(dns).CheckHostAsync(ip ?? Client, mailFrom, helo);

    [Fact]
    public async Task Bare_a_and_mx_each_count_one_lookup()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 a mx -all")
            .AddA("example.com", "198.51.100.1")
            .AddMx("example.com", 10, "mx.example.com")
            .AddA("mx.example.com", "198.51.100.2");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Fail, r.Result);
        Assert.Equal(2, r.DnsLookupCount);
        Assert.Equal(0, r.VoidLookupCount);
        Assert.Equal("-all", r.MatchedTerm);
    }

    [Fact]
    public async Task Qualified_include_counts_and_maps_pass_to_its_qualifier()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 ~include:_spf.example.net -all")
            .AddTxt("_spf.example.net", "v=spf1 ip4:192.0.2.0/24 -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.SoftFail, r.Result);
        Assert.Equal(1, r.DnsLookupCount);
        Assert.Equal("~include:_spf.example.net", r.MatchedTerm);
    }

    [Fact]
    public async Task Diamond_is_not_a_loop_and_counts_each_path()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 include:left.example.com include:right.example.com -all")
            .AddTxt("left.example.com", "v=spf1 include:shared.example.com -all")
            .AddTxt("right.example.com", "v=spf1 include:shared.example.com -all")
            .AddTxt("shared.example.com", "v=spf1 ip4:203.0.113.0/24 -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Fail, r.Result);
        Assert.Equal(4, r.DnsLookupCount);
        Assert.DoesNotContain("loop", r.Reason);
    }

    [Fact]
    public async Task Include_loop_is_permerror_with_a_reason()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 include:a.example.com -all")
            .AddTxt("a.example.com", "v=spf1 include:example.com -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.PermError, r.Result);
        Assert.Contains("loop", r.Reason);
    }

    [Fact]
    public async Task Eleventh_lookup_is_permerror()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 " + string.Join(" ", Enumerable.Range(1, 11).Select(i => $"a:h{i}.example.com")) + " -all");
        for (int i = 1; i <= 11; i++) dns.AddA($"h{i}.example.com", "198.51.100.1");
        var r = await Check(dns);
        Assert.Equal(SpfResult.PermError, r.Result);
        Assert.Equal(11, r.DnsLookupCount);
        Assert.Contains("a:h11.example.com", r.Reason);
    }

    [Fact]
    public async Task Ten_lookups_are_allowed()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 " + string.Join(" ", Enumerable.Range(1, 10).Select(i => $"a:h{i}.example.com")) + " -all");
        for (int i = 1; i <= 10; i++) dns.AddA($"h{i}.example.com", "198.51.100.1");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Fail, r.Result);
        Assert.Equal(10, r.DnsLookupCount);
    }

    [Fact]
    public async Task Void_lookup_limit_is_permerror()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 a:n1.example.com mx:n2.example.com exists:n3.example.com -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.PermError, r.Result);
        Assert.Equal(3, r.VoidLookupCount);
        Assert.Contains("void", r.Reason);
    }

    [Fact]
    public async Task Mx_host_without_address_is_not_a_second_void_lookup()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 mx a:gone.example.com -all")
            .AddMx("example.com", 10, "nohost.example.com")
            .AddMx("example.com", 20, "nohost2.example.com");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Fail, r.Result);
        Assert.Equal(1, r.VoidLookupCount);
    }

    [Fact]
    public async Task Timeout_is_temperror_never_none()
    {
        var dns = new InMemoryResolver().AddFailure("example.com", DnsErrorKind.Timeout);
        var r = await Check(dns);
        Assert.Equal(SpfResult.TempError, r.Result);
        Assert.Contains("Timeout", r.Reason);
    }

    [Fact]
    public async Task Servfail_in_an_include_is_temperror()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 include:broken.example.net -all")
            .AddFailure("broken.example.net", DnsErrorKind.ServerFailure);
        var r = await Check(dns);
        Assert.Equal(SpfResult.TempError, r.Result);
    }

    [Fact]
    public async Task Empty_mail_from_checks_postmaster_at_helo()
    {
        var dns = new InMemoryResolver().AddTxt("mail.example.com", "v=spf1 ip4:192.0.2.10 -all");
        var r = await Check(dns, "", helo: "mail.example.com");
        Assert.Equal(SpfResult.Pass, r.Result);
        Assert.Equal("postmaster@mail.example.com", r.MailFrom);
        Assert.Equal("mail.example.com", r.Domain);
    }

    [Fact]
    public async Task Ipv4_mapped_ipv6_is_checked_as_ipv4()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
        var r = await Check(dns, ip: IPAddress.Parse("::ffff:192.0.2.10"));
        Assert.Equal(SpfResult.Pass, r.Result);
        Assert.Equal("192.0.2.10", r.IPAddress);
    }

    [Fact]
    public async Task Case_and_trailing_dot_do_not_matter()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "V=SPF1 INCLUDE:Spf.Example.NET. -ALL")
            .AddTxt("spf.example.net", "v=spf1 IP4:192.0.2.10 -all");
        var r = await Check(dns, "User@EXAMPLE.com.");
        Assert.Equal(SpfResult.Pass, r.Result);
    }

    [Fact]
    public async Task Thousand_term_record_ends_in_permerror()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", Chunk("v=spf1 " + string.Join(" ", Enumerable.Range(0, 1000).Select(i => $"include:i{i}.example.com")) + " -all"));
        for (int i = 0; i < 1000; i++) dns.AddTxt($"i{i}.example.com", "v=spf1 -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.PermError, r.Result);
        Assert.Equal(11, r.DnsLookupCount);
    }

    [Fact]
    public async Task Macro_explosion_ends_in_an_error_result()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", Chunk("v=spf1 exists:" + string.Concat(Enumerable.Repeat("%{s}.%{l}.%{o}", 1500)) + ".example.com -all"));
        var r = await Check(dns, new string('x', 60) + "@example.com");
        Assert.Equal(SpfResult.PermError, r.Result);
        Assert.Contains("expand", r.Reason);
    }

    [Fact]
    public async Task Over_long_label_from_a_macro_is_no_match_not_an_exception()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 a:%{l}.example.com -all");
        var r = await Check(dns, new string('x', 70) + "@example.com");
        Assert.Equal(SpfResult.Fail, r.Result);
        Assert.Equal(1, r.VoidLookupCount);
    }

    [Fact]
    public async Task Non_ascii_record_is_permerror()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 a:exämple.com -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.PermError, r.Result);
        Assert.Contains("ASCII", r.Reason);
    }

    [Fact]
    public async Task Several_records_are_permerror()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 -all").AddTxt("example.com", "v=spf1 +all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.PermError, r.Result);
    }

    [Fact]
    public async Task Explanation_is_expanded_for_fail()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 -all exp=why.example.com")
            .AddTxt("why.example.com", "%{c} may not send for %{d} (%{l})");
        var r = await Check(dns, "Jo@example.com");
        Assert.Equal(SpfResult.Fail, r.Result);
        Assert.Equal("192.0.2.10 may not send for example.com (Jo)", r.Explanation);
    }

    [Fact]
    public async Task Trace_records_every_step_in_order()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 ip4:198.51.100.0/24 include:spf.example.net -all")
            .AddTxt("spf.example.net", "v=spf1 ip4:192.0.2.0/24 -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
        var trace = string.Join("\n", r.Trace);
        Assert.True(trace.IndexOf("ip4:198.51.100.0/24: no match") < trace.IndexOf("include:spf.example.net: evaluating"));
        Assert.True(trace.IndexOf("include:spf.example.net: evaluating") < trace.IndexOf("include:spf.example.net: spf.example.net passed"));
        Assert.EndsWith("result: Pass", trace);
    }

    [Fact]
    public async Task Ptr_looks_at_the_first_ten_names_only()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 ptr -all");
        for (int i = 1; i <= 11; i++) dns.AddPtr("10.2.0.192.in-addr.arpa", $"h{i}.example{(i == 11 ? "" : ".other")}.com");
        dns.AddA("h11.example.com", "192.0.2.10");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Fail, r.Result);
        Assert.Contains(r.Trace, t => t.Contains("no validated name"));
    }

    [Fact]
    public async Task Ptr_matches_a_validated_name_below_the_domain()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 ptr -all")
            .AddPtr("10.2.0.192.in-addr.arpa", "spoofed.example.com")
            .AddPtr("10.2.0.192.in-addr.arpa", "mail.example.com")
            .AddA("mail.example.com", "192.0.2.10")
            .AddA("spoofed.example.com", "198.51.100.1");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
        Assert.Equal(1, r.DnsLookupCount);
    }

    [Fact]
    public async Task P_macro_prefers_the_validated_name_of_the_domain()
    {
        var dns = new InMemoryResolver()
            .AddTxt("example.com", "v=spf1 exists:%{p}.allow.example.com -all")
            .AddPtr("10.2.0.192.in-addr.arpa", "other.example.net")
            .AddPtr("10.2.0.192.in-addr.arpa", "mx.example.com")
            .AddA("other.example.net", "192.0.2.10")
            .AddA("mx.example.com", "192.0.2.10")
            .AddA("mx.example.com.allow.example.com", "127.0.0.2");
        var r = await Check(dns);
        Assert.Equal(SpfResult.Pass, r.Result);
        Assert.Contains(r.Trace, t => t.Contains("%{p} = mx.example.com"));
    }

    [Fact]
    public async Task Explanation_only_letters_in_a_domain_spec_are_permerror()
    {
        var dns = new InMemoryResolver().AddTxt("example.com", "v=spf1 exists:%{c}.example.com -all");
        var r = await Check(dns);
        Assert.Equal(SpfResult.PermError, r.Result);
        Assert.Contains("explanation", r.Reason);
    }

    [Fact]
    public void Macro_letters_transformers_and_escaping()
    {
        var ctx = new SpfMacroContext(IPAddress.Parse("192.0.2.3"), "strong-bad@email.example.com", "email.example.com", "mx.example.org");
        Assert.Equal("strong-bad@email.example.com", Expand("%{s}", ctx));
        Assert.Equal("email.example.com", Expand("%{o}", ctx));
        Assert.Equal("example.com", Expand("%{d2}", ctx));
        Assert.Equal("com.example.email", Expand("%{dr}", ctx));
        Assert.Equal("3.2.0.192.in-addr._spf.example.com", Expand("%{ir}.%{v}._spf.%{d2}", ctx));
        Assert.Equal("bad.strong.lp._spf.example.com", Expand("%{lr-}.lp._spf.%{d2}", ctx));
        Assert.Equal("strong-bad%40email.example.com", Expand("%{S}", ctx));
        Assert.Equal("a% b%20", Expand("a%%%_b%-", ctx));
        Assert.False(MacroExpander.IsValidMacroString("%{d0}", false, out _));
        Assert.False(MacroExpander.IsValidMacroString("%{c}", false, out _));
        Assert.True(MacroExpander.IsValidMacroString("%{c} %{r} %{t}", true, out _));
        Assert.False(MacroExpander.IsValidMacroString("%x", false, out _));
    }

    private static string Expand(string s, SpfMacroContext ctx)
    {
        Assert.True(MacroExpander.TryExpand(s, ctx, false, out var e, out var error), error);
        return e;
    }

    private static string[] Chunk(string text)
    {
        var parts = new System.Collections.Generic.List<string>();
        for (int i = 0; i < text.Length; i += 255) parts.Add(text.Substring(i, System.Math.Min(255, text.Length - i)));
        return parts.ToArray();
    }
}
