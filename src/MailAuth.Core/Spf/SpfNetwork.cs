using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace MailAuth.Spf;

/// <summary>An IPv4 or IPv6 network (address and prefix length) that an SPF record authorizes (RFC 7208 §5.6).</summary>
public sealed class SpfNetwork : IComparable<SpfNetwork>, IEquatable<SpfNetwork>
{
    public SpfNetwork(IPAddress address, int prefixLength)
    {
        if (address == null) throw new ArgumentNullException(nameof(address));
        int bits = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (prefixLength < 0 || prefixLength > bits) throw new ArgumentOutOfRangeException(nameof(prefixLength));
        PrefixLength = prefixLength;
        NetworkAddress = FromNumber(ToNumber(address) & Mask(bits, prefixLength), bits);
        Address = NetworkAddress.ToString();
    }

    /// <summary>The first address of the network, as text.</summary>
    public string Address { get; }

    private IPAddress NetworkAddress { get; }

    public int PrefixLength { get; }

    public bool IsIPv6 => NetworkAddress.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>True when <paramref name="ip"/> lies in this network.</summary>
    public bool Contains(IPAddress ip)
    {
        if (ip.AddressFamily != NetworkAddress.AddressFamily) return false;
        return SpfEvaluator.InNetwork(ip.GetAddressBytes(), NetworkAddress.GetAddressBytes(), PrefixLength);
    }

    public override string ToString() => Address + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    public int CompareTo(SpfNetwork other)
    {
        if (other == null) return 1;
        if (IsIPv6 != other.IsIPv6) return IsIPv6 ? 1 : -1;
        int c = ToNumber(NetworkAddress).CompareTo(ToNumber(other.NetworkAddress));
        return c != 0 ? c : PrefixLength.CompareTo(other.PrefixLength);
    }

    public bool Equals(SpfNetwork other) => other != null && CompareTo(other) == 0;
    public override bool Equals(object obj) => Equals(obj as SpfNetwork);
    public override int GetHashCode() => NetworkAddress.GetHashCode() * 31 + PrefixLength;

    /// <summary>Merges networks: drops those inside others, joins adjacent ones, and sorts IPv4 before IPv6.</summary>
    public static IReadOnlyList<SpfNetwork> Merge(IEnumerable<SpfNetwork> networks)
    {
        var result = new List<SpfNetwork>();
        foreach (var family in networks.GroupBy(n => n.IsIPv6).OrderBy(g => g.Key))
        {
            int bits = family.Key ? 128 : 32;
            var ranges = family.Select(n =>
            {
                var start = ToNumber(n.NetworkAddress);
                return (Start: start, End: start + (BigInteger.One << (bits - n.PrefixLength)) - 1);
            }).OrderBy(r => r.Start).ToList();

            var merged = new List<(BigInteger Start, BigInteger End)>();
            foreach (var r in ranges)
            {
                if (merged.Count > 0 && r.Start <= merged[merged.Count - 1].End + 1)
                {
                    var last = merged[merged.Count - 1];
                    if (r.End > last.End) merged[merged.Count - 1] = (last.Start, r.End);
                }
                else merged.Add(r);
            }

            foreach (var (start, end) in merged)
            {
                var s = start;
                while (s <= end)
                {
                    int prefix = bits;
                    while (prefix > 0)
                    {
                        var size = BigInteger.One << (bits - prefix + 1);
                        if (s % size != 0 || s + size - 1 > end) break;
                        prefix--;
                    }
                    result.Add(new SpfNetwork(FromNumber(s, bits), prefix));
                    s += BigInteger.One << (bits - prefix);
                }
            }
        }
        return result;
    }

    private static BigInteger ToNumber(IPAddress ip)
    {
        var bytes = ip.GetAddressBytes();
        var le = new byte[bytes.Length + 1];
        for (int i = 0; i < bytes.Length; i++) le[i] = bytes[bytes.Length - 1 - i];
        return new BigInteger(le);
    }

    private static IPAddress FromNumber(BigInteger n, int bits)
    {
        var le = n.ToByteArray();
        var bytes = new byte[bits / 8];
        for (int i = 0; i < bytes.Length && i < le.Length; i++) bytes[bytes.Length - 1 - i] = le[i];
        return new IPAddress(bytes);
    }

    private static BigInteger Mask(int bits, int prefix) =>
        ((BigInteger.One << bits) - 1) ^ ((BigInteger.One << (bits - prefix)) - 1);
}
