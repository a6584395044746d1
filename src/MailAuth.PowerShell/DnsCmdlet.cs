using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailAuth.Dns;
using MailAuth.Records;

namespace MailAuth.PowerShell;

/// <summary>
/// The base of every cmdlet that asks the DNS: -Server, -DnsTimeoutSec and -DnsRetryCount, and a
/// resolver whose cache is shared by every MailAuth cmdlet of the same pipeline (PipelineResolverCache).
/// </summary>
public abstract class DnsCmdlet : MailAuthCmdlet
{
    /// <summary>DNS servers to ask: host, host:port, IPv6 address or [IPv6]:port. Default: the system resolver.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Server { get; set; }

    /// <summary>Seconds to wait for one DNS answer.</summary>
    [Parameter]
    [ValidateRange(1, 60)]
    public int DnsTimeoutSec { get; set; } = 3;

    /// <summary>How many times to ask again after a DNS timeout.</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int DnsRetryCount { get; set; } = 2;

    /// <summary>The resolver for this cmdlet, ready after BeginProcessing.</summary>
    protected IDnsResolver Resolver => _cache?.Resolver;

    private PipelineResolverCache.Lease _cache;

    protected override void BeginProcessing()
    {
        var servers = new List<DnsServerEndpoint>();
        if (Server != null)
        {
            foreach (var s in Server)
            {
                try { servers.Add(DnsServerEndpoint.Parse(s)); }
                catch (MailAuthInputException ex) { WriteInputError(ex); }
            }
            if (servers.Count == 0)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new MailAuthInputException(DnsServerEndpoint.InvalidServerAddressErrorId, "None of the DNS servers given with -Server can be used.", string.Join(",", Server)),
                    DnsServerEndpoint.InvalidServerAddressErrorId, ErrorCategory.InvalidArgument, Server));
            }
        }

        var options = new DnsResolverOptions
        {
            Servers = servers,
            Timeout = TimeSpan.FromSeconds(DnsTimeoutSec),
            Retries = DnsRetryCount,
        };
        _cache?.Dispose();
        _cache = PipelineResolverCache.Acquire(options);
        WriteVerbose(servers.Count == 0
            ? "Asking the system's DNS resolver."
            : "Asking DNS server(s) " + string.Join(", ", servers) + ".");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cache?.Dispose();
            _cache = null;
        }
        base.Dispose(disposing);
    }
}
