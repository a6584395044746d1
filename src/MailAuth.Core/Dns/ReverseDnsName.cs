using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailAuth.Dns;

/// <summary>
/// The PTR query name of an address: in-addr.arpa (RFC 1035 §3.5) or ip6.arpa nibbles (RFC 3596 §2.5), for SPF's ptr
/// mechanism and %{p} macro (RFC 7208 §5.5) and for naming report sources.
/// </summary>
internal static class ReverseDnsName
{
    public static string For(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var sb = new StringBuilder(72);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (int i = bytes.Length - 1; i >= 0; i--) sb.Append(bytes[i]).Append('.');
            return sb.Append("in-addr.arpa").ToString();
        }
        const string hex = "0123456789abcdef";
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            sb.Append(hex[bytes[i] & 0xf]).Append('.');
            sb.Append(hex[bytes[i] >> 4]).Append('.');
        }
        return sb.Append("ip6.arpa").ToString();
    }
}
