using System;
using System.Collections.Generic;

namespace MailAuth.Dns;

/// <summary>How <see cref="StubResolver"/> asks: which servers, how long to wait, how often to retry.</summary>
public sealed class DnsResolverOptions
{
    /// <summary>The servers to ask, in order; empty means the system resolver.</summary>
    public IReadOnlyList<DnsServerEndpoint> Servers { get; set; } = Array.Empty<DnsServerEndpoint>();

    /// <summary>How long to wait for one answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times to ask again after a timeout.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Ask again over TCP when a UDP answer is truncated (RFC 7766). On by default.</summary>
    public bool UseTcpFallback { get; set; } = true;

    /// <summary>Ask over TCP only.</summary>
    public bool UseTcpOnly { get; set; }

    /// <summary>The most CNAMEs followed from one name before the chain counts as a loop.</summary>
    public int MaxCnameHops { get; set; } = 8;
}
