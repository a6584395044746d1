using MailAuth.Dns;
using MailAuth.Common;
using Xunit;

namespace MailAuth.Tests.Dns;

public sealed class DomainNameTests
{
    [Theory]
    [InlineData("Example.COM", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("  example.com ", "example.com")]
    [InlineData("_dmarc.example.com", "_dmarc.example.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("\ufeffbücher.\ufeff", "xn--bcher-kva")] // fuzz finding: IDNA drops U+FEFF, which left "xn--bcher-kva." with its trailing dot
    [InlineData("例え.テスト", "xn--r8jz45g.xn--zckzah")]
    public void Normalizes_to_lower_case_a_labels_without_the_trailing_dot(string input, string expected)
    {
        Assert.Equal(expected, DomainName.Normalize(input));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData(".example.com")]
    [InlineData("user@example.com")]
    [InlineData("http://example.com")]
    [InlineData("exa mple.com")]
    [InlineData("exa!mple.com")]
    [InlineData("example.com..")] // fuzz finding: two trailing dots normalized to "example.com." (an empty last label)
    [InlineData("bücher..")]
    public void Rejects_what_is_not_a_domain_name_with_a_stable_error_id(string input)
    {
        var ex = Assert.Throws<MailAuthInputException>(() => DomainName.Normalize(input));
        Assert.Equal(DomainName.InvalidDomainNameErrorId, ex.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Rejects_a_label_over_63_characters()
    {
        var ex = Assert.Throws<MailAuthInputException>(() => DomainName.Normalize(new string('a', 64) + ".example"));
        Assert.Contains("63", ex.Message);
    }

    [Fact]
    public void Rejects_a_name_over_253_characters()
    {
        var name = string.Join(".", System.Linq.Enumerable.Repeat(new string('a', 50), 6));
        Assert.Throws<MailAuthInputException>(() => DomainName.Normalize(name));
    }

    [Theory]
    [InlineData("user@example.com", "example.com")]
    [InlineData("<bounce@mail.example.com>", "mail.example.com")]
    [InlineData("example.com", "example.com")]
    public void Takes_the_domain_of_an_address(string input, string expected)
    {
        Assert.Equal(expected, DomainName.FromAddressOrDomain(input));
    }

    [Theory]
    [InlineData("mail.example.com", "example.com", true)]
    [InlineData("example.com", "example.com", true)]
    [InlineData("badexample.com", "example.com", false)]
    [InlineData("example.com", "mail.example.com", false)]
    public void Knows_whether_a_name_is_at_or_below_another(string name, string parent, bool expected)
    {
        Assert.Equal(expected, DomainName.IsAtOrBelow(name, parent));
    }
}
