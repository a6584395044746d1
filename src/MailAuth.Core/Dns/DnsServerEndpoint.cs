using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using MailAuth.Common;

namespace MailAuth.Dns;

/// <summary>
/// A DNS server given as <c>host</c>, <c>host:port</c>, <c>v4addr</c>, <c>v6addr</c> or <c>[v6addr]:port</c>.
/// </summary>
public sealed class DnsServerEndpoint
{
    /// <summary>Error id for a server address that cannot be used.</summary>
    public const string InvalidServerAddressErrorId = "InvalidServerAddress";

    public DnsServerEndpoint(IPAddress address, int port = 53, string original = null)
    {
        Address = address ?? throw new ArgumentNullException(nameof(address));
        if (port < 1 || port > 65535) throw new ArgumentOutOfRangeException(nameof(port));
        Port = port;
        Original = original ?? ToString();
    }

    public IPAddress Address { get; }
    public int Port { get; }

    /// <summary>The text the user gave.</summary>
    public string Original { get; }

    public IPEndPoint ToIPEndPoint() => new IPEndPoint(Address, Port);

    public override string ToString() =>
        Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    /// <summary>Parses a server address or throws <see cref="MailAuthInputException"/> with <see cref="InvalidServerAddressErrorId"/>.</summary>
    /// <exception cref="MailAuthInputException">Not an address, [IPv6]:port or host[:port], or a host name that does not resolve.</exception>
    public static DnsServerEndpoint Parse(string text) => Parse(text, System.Net.Dns.GetHostAddresses);

    /// <summary>Parses with <paramref name="resolveHost"/> looking up a server given by name (the system resolver, or a test's).</summary>
    internal static DnsServerEndpoint Parse(string text, Func<string, IPAddress[]> resolveHost)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw Invalid(text, "The DNS server address is empty.");
        var s = text.Trim();
        string host;
        int port = 53;

        if (s.StartsWith("[", StringComparison.Ordinal))
        {
            var close = s.IndexOf(']');
            if (close < 0) throw Invalid(text, $"'{text}' opens '[' without closing it; write an IPv6 server as [2001:db8::53]:53.");
            host = s.Substring(1, close - 1);
            var rest = s.Substring(close + 1);
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(":", StringComparison.Ordinal) || !TryPort(rest.Substring(1), out port))
                    throw Invalid(text, $"'{text}' has no valid port after ']'; ports run from 1 to 65535.");
            }
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                throw Invalid(text, $"'{host}' in brackets is not an IPv6 address.");
            return new DnsServerEndpoint(v6, port, text);
        }

        var colons = s.Count(c => c == ':');
        if (colons > 1)
        {
            if (IPAddress.TryParse(s, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6)
                return new DnsServerEndpoint(bare, 53, text);
            throw Invalid(text, $"'{text}' is not an IPv6 address; to give a port, write [address]:port.");
        }

        if (colons == 1)
        {
            var idx = s.IndexOf(':');
            host = s.Substring(0, idx);
            if (!TryPort(s.Substring(idx + 1), out port))
                throw Invalid(text, $"'{text}' has no valid port; ports run from 1 to 65535.");
        }
        else
        {
            host = s;
        }

        if (host.Length == 0) throw Invalid(text, $"'{text}' names no host.");
        if (IPAddress.TryParse(host, out var ip)) return new DnsServerEndpoint(ip, port, text);

        if (!DomainName.TryNormalize(host, out var hostName, out _))
            throw Invalid(text, $"'{text}' is not a DNS server address. Give an IP address (192.0.2.53, 2001:db8::53), a host name (ns1.example.net), host:port, or [IPv6]:port.");
        try
        {
            var addresses = resolveHost(hostName);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (chosen == null) throw Invalid(text, $"The DNS server name '{hostName}' has no address.");
            return new DnsServerEndpoint(chosen, port, text);
        }
        catch (SocketException ex)
        {
            throw new MailAuthInputException(InvalidServerAddressErrorId, $"The DNS server name '{hostName}' could not be resolved: {ex.Message}", text, ex);
        }
        catch (ArgumentException ex) when (!(ex is MailAuthInputException))
        {
            // The resolver reads some names as addresses it refuses (a name that normalizes to "0" is 0.0.0.0).
            throw new MailAuthInputException(InvalidServerAddressErrorId, $"The DNS server name '{hostName}' cannot be used: {ex.Message}", text, ex);
        }
    }

    private static bool TryPort(string s, out int port) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port >= 1 && port <= 65535;

    private static MailAuthInputException Invalid(string text, string message) =>
        new MailAuthInputException(InvalidServerAddressErrorId, message, text);
}
