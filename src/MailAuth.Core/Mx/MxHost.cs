using System;
using System.Collections.Generic;
using System.Net;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Mx;

/// <summary>One MX record of a domain and the addresses of its exchange.</summary>
public sealed class MxHost
{
    public MxHost(string domain, int preference, string exchange, IReadOnlyList<string> addresses, RecordStatus addressStatus, IReadOnlyList<string> cnameChain = null)
    {
        Domain = domain;
        Preference = preference;
        Exchange = exchange;
        Addresses = ReadOnlyArray.From(addresses);
        AddressStatus = addressStatus;
        CnameChain = ReadOnlyArray.From(cnameChain);
    }

    public string Domain { get; }
    public int Preference { get; }

    /// <summary>The exchange host name; empty for a null MX (RFC 7505).</summary>
    public string Exchange { get; }

    /// <summary>The exchange's IPv4 and IPv6 addresses.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Whether the exchange's addresses were found, are absent, or could not be looked up.</summary>
    public RecordStatus AddressStatus { get; }

    /// <summary>CNAMEs met when resolving the exchange; RFC 2181 §10.3 forbids an MX target that is an alias.</summary>
    public IReadOnlyList<string> CnameChain { get; }

    public override string ToString() => $"{Preference} {Exchange}";
}
