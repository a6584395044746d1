using System.Threading.Tasks;
using MailAuth.Dmarc;
using MailAuth.Dns;
using MailAuth.Common;
using Xunit;

namespace MailAuth.Tests.Dmarc;

public sealed class IdentifierAlignmentTests
{
    private static InMemoryResolver Zone() => new InMemoryResolver()
        .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject")
        .AddTxt("_dmarc.example.co.uk", "v=DMARC1; p=reject")
        .AddTxt("_dmarc.co.uk", "v=DMARC1; p=none; psd=y");

    [Theory]
    [InlineData("user@news.example.com", "bounce.example.com", AlignmentMode.Relaxed, true)]
    [InlineData("user@news.example.com", "bounce.example.com", AlignmentMode.Strict, false)]
    [InlineData("user@example.com", "EXAMPLE.COM.", AlignmentMode.Strict, true)]
    [InlineData("user@example.com", "example.net", AlignmentMode.Relaxed, false)]
    [InlineData("user@example.com", "com", AlignmentMode.Relaxed, false)]
    [InlineData("a.example.co.uk", "b.example.co.uk", AlignmentMode.Relaxed, true)]
    [InlineData("example.co.uk", "other.co.uk", AlignmentMode.Relaxed, false)]
    public async Task Alignment_table(string from, string other, AlignmentMode mode, bool aligned)
    {
        var r = await new IdentifierAlignment(Zone()).CheckAsync(AuthenticatedIdentifierKind.Spf, from, other, mode);
        Assert.Equal(aligned, r.Aligned);
        Assert.Equal(mode, r.Mode);
        Assert.False(string.IsNullOrEmpty(r.Reason));
    }

    [Fact]
    public async Task Reports_both_organizational_domains()
    {
        var r = await new IdentifierAlignment(Zone()).CheckAsync(AuthenticatedIdentifierKind.Dkim, "user@a.example.co.uk", "mail.example.co.uk", AlignmentMode.Relaxed);
        Assert.Equal("a.example.co.uk", r.HeaderFromDomain);
        Assert.Equal("mail.example.co.uk", r.SigningDomain);
        Assert.Null(r.MailFromDomain);
        Assert.Equal("example.co.uk", r.HeaderFromOrganizationalDomain);
        Assert.Equal("example.co.uk", r.SigningOrganizationalDomain);
    }

    [Fact]
    public async Task Psl_mode_uses_the_list()
    {
        var r = await new IdentifierAlignment(new InMemoryResolver()).CheckAsync(AuthenticatedIdentifierKind.Spf, "a.example.co.uk", "b.example.co.uk", AlignmentMode.Relaxed, DmarcDiscoveryMode.Psl);
        Assert.True(r.Aligned);
        Assert.Equal("example.co.uk", r.MailFromOrganizationalDomain);
    }

    [Fact]
    public async Task Dns_failure_in_relaxed_mode_is_an_error_not_a_mismatch()
    {
        var dns = Zone().AddFailure("_dmarc.example.com", DnsErrorKind.Timeout);
        var r = await new IdentifierAlignment(dns).CheckAsync(AuthenticatedIdentifierKind.Spf, "a.example.com", "b.example.com", AlignmentMode.Relaxed);
        Assert.False(r.Aligned);
        Assert.True(r.IsError);
        Assert.Equal(DnsErrorKind.Timeout, r.ErrorKind);
    }

    [Fact]
    public async Task Invalid_domain_is_input_error()
    {
        var ex = await Assert.ThrowsAsync<MailAuthInputException>(() => new IdentifierAlignment(Zone()).CheckAsync(AuthenticatedIdentifierKind.Spf, "bad domain", "example.com", AlignmentMode.Relaxed));
        Assert.Equal(DomainName.InvalidDomainNameErrorId, ex.ErrorId);
    }
}
