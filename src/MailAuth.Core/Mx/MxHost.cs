using System;
using System.Collections.Generic;
using System.Net;
using MailAuth.Dns;
using MailAuth.Records;

namespace MailAuth.Mx;

/// <summary>One MX record of a domain and the addresses of its exchange.</summary>
public sealed class MxHost
{
    public MxHost(string domain, int preference, string exchange, IReadOnlyList<IPAddress> addresses, RecordStatus addressStatus, IReadOnlyList<string> cnameChain = null)
    {
        Domain = domain;
        Preference = preference;
        Exchange = exchange;
        Addresses = addresses ?? Array.Empty<IPAddress>();
        AddressStatus = addressStatus;
        CnameChain = cnameChain ?? Array.Empty<string>();
    }

    public string Domain { get; }
    public int Preference { get; }

    /// <summary>The exchange host name; empty for a null MX (RFC 7505).</summary>
    public string Exchange { get; }

    /// <summary>The exchange's IPv4 and IPv6 addresses.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>Whether the exchange's addresses were found, are absent, or could not be looked up.</summary>
    public RecordStatus AddressStatus { get; }

    /// <summary>CNAMEs met when resolving the exchange; RFC 2181 §10.3 forbids an MX target that is an alias.</summary>
    public IReadOnlyList<string> CnameChain { get; }

    public override string ToString() => $"{Preference} {Exchange}";
}
