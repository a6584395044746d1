using System.Net;
using CsCheck;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// The DNS record parsers under fuzzing: SPF records, terms and macros (RFC 7208 §4.6, §7), DMARC records
/// and report URIs (RFC 9989 §4.7, §4.6), DKIM key records and tag lists (RFC 6376 §3.6.1, §3.2). The Try
/// forms and the parsers that report errors as values never throw; the throwing forms throw only their
/// documented exception.
/// </summary>
public sealed class RecordParserFuzzTests
{
    private static readonly string[] SpfTokens =
    {
        "v=spf1", "v=spf1 ", "+all", "-all", "~all", "?all", "all", "a", "a:", "a/24", "a//64", "a:%{d}/0", "mx", "mx:example.com/33",
        "ptr", "ptr:", "ip4:192.0.2.1", "ip4:192.0.2.0/24", "ip4:300.1.1.1", "ip4:1.2.3.4/", "ip6:2001:db8::/32", "ip6:::1/129", "ip6:",
        "include:", "include:_spf.example.com", "exists:%{ir}.%{l1r+-}._spf.%{d}", "redirect=", "redirect=example.com", "exp=", "exp=explain.%{d2}",
        "%{", "%{i}", "%{ir}", "%{d5r}", "%{l-}", "%{h}", "%{c}", "%{r}", "%{t}", "%{p}", "%{v}", "%{s1.}", "%%", "%_", "%-", "%", "%{x}",
        "%{d999999999999}", "foo=bar", "=", ":", "/", "//", "."
    };

    private static readonly string[] DmarcTokens =
    {
        "v=DMARC1", "p=none", "p=reject", "p=quarantine", "sp=", "np=reject", "adkim=s", "aspf=r", "pct=", "pct=101", "pct=-1",
        "rua=mailto:dmarc@example.com", "rua=mailto:a@b.c!10m", "rua=mailto:a@b.c!99999999999999999999g", "ruf=", "fo=1:d:s", "ri=86400",
        "ri=99999999999", "psd=y", "t=y", "t=", "mailto:", "!", ",", "%20", "=", ";"
    };

    private static readonly string[] DkimKeyTokens =
    {
        "v=DKIM1", "k=rsa", "k=ed25519", "k=", "h=sha256", "h=sha1:sha256", "s=email", "s=*", "t=y", "t=s", "t=y:s", "n=note", "p=",
        "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "p===", "p=!!", "v=DKIM2", "=", ";"
    };

    private static readonly IPAddress[] Addresses = { IPAddress.Parse("192.0.2.3"), IPAddress.Parse("2001:db8::cb01"), IPAddress.IPv6Loopback };

    [Fact]
    public void Spf_record_parser_throws_only_SpfSyntaxException()
    {
        FuzzRun.AnyText(SpfTokens, " ", "  ", "", "\t").Sample(text =>
        {
            SpfRecordParser.TryParse(text, out _, out _, out _);
            try { Assert.NotNull(SpfRecordParser.Parse(text)); }
            catch (SpfSyntaxException) { }
        }, iter: FuzzRun.Iterations(100_000));
    }

    [Fact]
    public void Spf_term_parser_never_throws()
    {
        FuzzRun.AnyText(SpfTokens, "", ":", "/", "=").Sample(token =>
        {
            if (SpfRecordParser.TryParseTerm(token, out var term, out var error)) Assert.NotNull(term);
            else Assert.False(string.IsNullOrEmpty(error));
        }, iter: FuzzRun.Iterations(100_000));
    }

    [Fact]
    public void Spf_macro_expansion_never_throws_and_stays_bounded()
    {
        Gen.Select(FuzzRun.AnyText(SpfTokens, "", ".", "%"), Gen.Int[0, Addresses.Length - 1], FuzzRun.Noise, Gen.Bool).Sample((text, ip, sender, explanation) =>
        {
            MacroExpander.IsValidMacroString(text, explanation, out _);
            MacroExpander.IsValidDomainSpec(text, out _);
            var context = new SpfMacroContext(Addresses[ip], sender + "@example.com", "example.com", sender);
            if (MacroExpander.TryExpand(text, context, explanation, out var expanded, out _))
                Assert.True(expanded.Length <= System.Math.Max(MacroExpander.MaxExpansionLength, text.Length));
        }, iter: FuzzRun.Iterations(100_000));
    }

    [Fact]
    public void Dmarc_record_and_uri_parsers_never_throw()
    {
        FuzzRun.AnyText(DmarcTokens, ";", "; ", " ", ",").Sample(text =>
        {
            var record = DmarcRecordParser.Parse(text, "_dmarc.example.com");
            Assert.Equal(text, record.Text);
            DmarcRecordParser.ParseUri(text);
            DmarcRecordParser.ParsePolicy(text);
        }, iter: FuzzRun.Iterations(100_000));
    }

    [Fact]
    public void Dkim_key_record_and_tag_list_never_throw()
    {
        FuzzRun.AnyText(DkimKeyTokens, ";", "; ", " ;", "\r\n ").Sample(text =>
        {
            var record = DkimKeyRecord.Parse(text);
            Assert.NotNull(record);
            DkimTagList.TryParse(text, out _, out _);
        }, iter: FuzzRun.Iterations(100_000));
    }
}
