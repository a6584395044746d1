using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using MailAuth.Spf;
using Xunit;

namespace MailAuth.Tests.Spf;

/// <summary>Merging the networks of an SPF tree: the same addresses as the inputs, in the fewest CIDR blocks.</summary>
public sealed class SpfNetworkTests
{
    [Fact]
    public void Merged_networks_cover_exactly_the_addresses_of_the_inputs()
    {
        var random = new Random(7208);
        for (int round = 0; round < 300; round++)
        {
            // Networks inside 10.0.0.0/24, so that every address can be checked.
            var inputs = Enumerable.Range(0, random.Next(1, 8))
                .Select(_ => new SpfNetwork(IPAddress.Parse("10.0.0." + random.Next(256)), random.Next(24, 33))).ToList();
            var merged = SpfNetwork.Merge(inputs);
            for (int last = 0; last < 256; last++)
            {
                var ip = IPAddress.Parse("10.0.0." + last);
                Assert.Equal(inputs.Any(n => n.Contains(ip)), merged.Any(n => n.Contains(ip)));
                Assert.True(merged.Count(n => n.Contains(ip)) <= 1, "merged blocks overlap");
            }
            // Fewest blocks: no two merged blocks of one size are the two halves of a larger one.
            foreach (var a in merged)
                foreach (var b in merged)
                    if (!ReferenceEquals(a, b) && a.PrefixLength == b.PrefixLength && a.PrefixLength > 0)
                        Assert.False(new SpfNetwork(IPAddress.Parse(a.Address), a.PrefixLength - 1).Contains(IPAddress.Parse(b.Address)), $"{a} and {b} make one block");
        }
    }

    [Theory]
    [InlineData("0.0.0.0/0,255.255.255.255/32", "0.0.0.0/0")]
    [InlineData("255.255.255.254/32,255.255.255.255/32", "255.255.255.254/31")]
    [InlineData("192.0.2.0/25,192.0.2.128/25,198.51.100.7/32", "192.0.2.0/24,198.51.100.7/32")]
    [InlineData("192.0.2.1/32,192.0.2.2/32", "192.0.2.1/32,192.0.2.2/32")]
    [InlineData("2001:db8::/33,2001:db8:8000::/33,192.0.2.0/24", "192.0.2.0/24,2001:db8::/32")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128,ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127")]
    [InlineData("::/1,8000::/1", "::/0")]
    [InlineData("2001:db8::ffff:ffff:ffff:ffff/128,2001:db8:0:1::/128", "2001:db8::ffff:ffff:ffff:ffff/128,2001:db8:0:1::/128")]
    [InlineData("2001:db8:0:0:8000::/65,2001:db8::/65", "2001:db8::/64")]
    public void Merges_adjacent_and_nested_networks(string input, string expected)
    {
        var networks = input.Split(',').Select(Parse);
        Assert.Equal(expected.Split(','), SpfNetwork.Merge(networks).Select(n => n.ToString()));
    }

    [Fact]
    public void The_network_address_drops_the_host_bits()
    {
        Assert.Equal("192.0.2.0/24", new SpfNetwork(IPAddress.Parse("192.0.2.77"), 24).ToString());
        Assert.Equal("2001:db8::/32", new SpfNetwork(IPAddress.Parse("2001:db8:1234::1"), 32).ToString());
        Assert.True(new SpfNetwork(IPAddress.Parse("2001:db8::"), 32).Contains(IPAddress.Parse("2001:db8:ffff::1")));
        Assert.False(new SpfNetwork(IPAddress.Parse("2001:db8::"), 32).Contains(IPAddress.Parse("192.0.2.1")));
    }

    private static SpfNetwork Parse(string cidr)
    {
        var slash = cidr.IndexOf('/');
        return new SpfNetwork(IPAddress.Parse(cidr.Substring(0, slash)), int.Parse(cidr.Substring(slash + 1)));
    }
}
