using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailAuth.Spf;

/// <summary>An IPv4 or IPv6 network (address and prefix length) that an SPF record authorizes (RFC 7208 §5.6).</summary>
public sealed class SpfNetwork : IComparable<SpfNetwork>, IEquatable<SpfNetwork>
{
    private readonly Number _start;
    private readonly bool _v6;
    private string _address;

    public SpfNetwork(IPAddress address, int prefixLength)
    {
        if (address == null) throw new ArgumentNullException(nameof(address));
        _v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        int bits = Bits(_v6);
        if (prefixLength < 0 || prefixLength > bits) throw new ArgumentOutOfRangeException(nameof(prefixLength));
        PrefixLength = prefixLength;
        _start = Number.From(address).ClearLow(bits - prefixLength);
    }

    private SpfNetwork(Number start, bool v6, int prefixLength)
    {
        _start = start;
        _v6 = v6;
        PrefixLength = prefixLength;
    }

    /// <summary>The first address of the network, as text.</summary>
    public string Address => _address ?? (_address = _start.ToAddress(_v6).ToString());

    public int PrefixLength { get; }

    public bool IsIPv6 => _v6;

    /// <summary>True when <paramref name="ip"/> lies in this network.</summary>
    public bool Contains(IPAddress ip)
    {
        if (ip == null || (ip.AddressFamily == AddressFamily.InterNetworkV6) != _v6) return false;
        return Number.From(ip).ClearLow(Bits(_v6) - PrefixLength).CompareTo(_start) == 0;
    }

    public override string ToString() => Address + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    public int CompareTo(SpfNetwork other)
    {
        if (other == null) return 1;
        if (_v6 != other._v6) return _v6 ? 1 : -1;
        int c = _start.CompareTo(other._start);
        return c != 0 ? c : PrefixLength.CompareTo(other.PrefixLength);
    }

    public bool Equals(SpfNetwork other) => other != null && CompareTo(other) == 0;
    public override bool Equals(object obj) => Equals(obj as SpfNetwork);
    public override int GetHashCode() => (_start.GetHashCode() * 31 + PrefixLength) * 2 + (_v6 ? 1 : 0);

    /// <summary>Merges networks: drops those inside others, joins adjacent ones, and sorts IPv4 before IPv6.</summary>
    public static IReadOnlyList<SpfNetwork> Merge(IEnumerable<SpfNetwork> networks)
    {
        var v4 = new List<(Number Start, Number End)>();
        var v6 = new List<(Number Start, Number End)>();
        foreach (var n in networks)
        {
            int hostBits = Bits(n._v6) - n.PrefixLength;
            (n._v6 ? v6 : v4).Add((n._start, n._start.SetLow(hostBits)));
        }
        var result = new List<SpfNetwork>(v4.Count + v6.Count);
        AddMerged(v4, false, result);
        AddMerged(v6, true, result);
        return result;
    }

    /// <summary>Joins overlapping and adjacent ranges of one family, then writes each as the fewest CIDR blocks.</summary>
    private static void AddMerged(List<(Number Start, Number End)> ranges, bool v6, List<SpfNetwork> result)
    {
        if (ranges.Count == 0) return;
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        int bits = Bits(v6);
        var last = Number.Max(bits);
        var merged = new List<(Number Start, Number End)>(ranges.Count);
        foreach (var r in ranges)
        {
            if (merged.Count > 0)
            {
                var top = merged[merged.Count - 1];
                bool joins = r.Start.CompareTo(top.End) <= 0 || (top.End.CompareTo(last) != 0 && r.Start.CompareTo(top.End.Next()) == 0);
                if (joins)
                {
                    if (r.End.CompareTo(top.End) > 0) merged[merged.Count - 1] = (top.Start, r.End);
                    continue;
                }
            }
            merged.Add(r);
        }

        foreach (var (start, end) in merged)
        {
            var s = start;
            while (true)
            {
                // The largest block that starts at s and ends within the range.
                int hostBits = 0;
                while (hostBits < bits && s.IsClearLow(hostBits + 1) && s.SetLow(hostBits + 1).CompareTo(end) <= 0) hostBits++;
                result.Add(new SpfNetwork(s, v6, bits - hostBits));
                var blockEnd = s.SetLow(hostBits);
                if (blockEnd.CompareTo(end) >= 0) break;
                s = blockEnd.Next();
            }
        }
    }

    private static int Bits(bool v6) => v6 ? 128 : 32;

    /// <summary>An address as an unsigned 128-bit number (IPv4 in the low 32 bits).</summary>
    private readonly struct Number : IComparable<Number>
    {
        private readonly ulong _hi, _lo;

        private Number(ulong hi, ulong lo)
        {
            _hi = hi;
            _lo = lo;
        }

        public static Number From(IPAddress address)
        {
            var b = address.GetAddressBytes();
            if (b.Length == 4) return new Number(0, ReadBigEndian(b, 0, 4));
            return new Number(ReadBigEndian(b, 0, 8), ReadBigEndian(b, 8, 8));
        }

        /// <summary>The last address of a family of <paramref name="bits"/> bits.</summary>
        public static Number Max(int bits) => new Number(0, 0).SetLow(bits);

        /// <summary>This number with its low <paramref name="k"/> bits cleared.</summary>
        public Number ClearLow(int k) => new Number(_hi & ~HighOf(k), _lo & ~LowOf(k));

        /// <summary>This number with its low <paramref name="k"/> bits set.</summary>
        public Number SetLow(int k) => new Number(_hi | HighOf(k), _lo | LowOf(k));

        /// <summary>True when the low <paramref name="k"/> bits are all clear.</summary>
        public bool IsClearLow(int k) => (_hi & HighOf(k)) == 0 && (_lo & LowOf(k)) == 0;

        /// <summary>This number plus one (the caller makes sure it is not the largest).</summary>
        public Number Next() => _lo == ulong.MaxValue ? new Number(_hi + 1, 0) : new Number(_hi, _lo + 1);

        public int CompareTo(Number other)
        {
            int c = _hi.CompareTo(other._hi);
            return c != 0 ? c : _lo.CompareTo(other._lo);
        }

        public override int GetHashCode() => (_hi ^ _lo).GetHashCode();

        public IPAddress ToAddress(bool v6)
        {
            if (!v6) return new IPAddress(new[] { (byte)(_lo >> 24), (byte)(_lo >> 16), (byte)(_lo >> 8), (byte)_lo });
            var bytes = new byte[16];
            for (int i = 0; i < 8; i++)
            {
                bytes[i] = (byte)(_hi >> (56 - 8 * i));
                bytes[8 + i] = (byte)(_lo >> (56 - 8 * i));
            }
            return new IPAddress(bytes);
        }

        /// <summary>The mask of the low <paramref name="k"/> bits (0 to 128) within the low word.</summary>
        private static ulong LowOf(int k) => k >= 64 ? ulong.MaxValue : k <= 0 ? 0 : (1UL << k) - 1;

        /// <summary>The mask of the low <paramref name="k"/> bits (0 to 128) within the high word.</summary>
        private static ulong HighOf(int k) => k >= 128 ? ulong.MaxValue : k <= 64 ? 0 : (1UL << (k - 64)) - 1;

        private static ulong ReadBigEndian(byte[] b, int offset, int count)
        {
            ulong v = 0;
            for (int i = 0; i < count; i++) v = (v << 8) | b[offset + i];
            return v;
        }
    }
}
