using MailAuth.Dns;
using MailAuth.Common;
using Xunit;

namespace MailAuth.Tests.Dns;

public sealed class DnsServerEndpointTests
{
    [Theory]
    [InlineData("192.0.2.53", "192.0.2.53:53")]
    [InlineData("192.0.2.53:5353", "192.0.2.53:5353")]
    [InlineData("2001:db8::53", "[2001:db8::53]:53")]
    [InlineData("[2001:db8::53]:5353", "[2001:db8::53]:5353")]
    [InlineData("[::1]", "[::1]:53")]
    [InlineData("localhost:5300", "127.0.0.1:5300")]
    public void Parses_host_host_port_and_bracketed_ipv6(string text, string expected)
    {
        var endpoint = DnsServerEndpoint.Parse(text);
        Assert.Equal(expected, endpoint.ToString());
        Assert.Equal(text, endpoint.Original);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[::1")]
    [InlineData("[::1]:")]
    [InlineData("[::1]:99999")]
    [InlineData("192.0.2.1:0")]
    [InlineData("192.0.2.1:port")]
    [InlineData("[192.0.2.1]:53")]
    [InlineData("2001:db8::zz")]
    [InlineData("bad host name")]
    [InlineData("0\ufeff")] // fuzz finding: a name that normalizes to "0", which the resolver reads as 0.0.0.0 and refuses with ArgumentException
    public void Rejects_malformed_addresses_with_a_stable_error_id(string text)
    {
        var ex = Assert.Throws<MailAuthInputException>(() => DnsServerEndpoint.Parse(text));
        Assert.Equal(DnsServerEndpoint.InvalidServerAddressErrorId, ex.ErrorId);
    }
}
