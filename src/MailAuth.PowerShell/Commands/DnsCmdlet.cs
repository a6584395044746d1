using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Dns;

namespace MailAuth.PowerShell.Commands;

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

    /// <summary>The ErrorId written beside a result whose DNS lookup could not be done (timeout, SERVFAIL, REFUSED, network).</summary>
    public const string DnsLookupFailedErrorId = "DnsLookupFailed";

    /// <summary>
    /// Writes a non-terminating DnsLookupFailed error after a result whose Status is Error, so that a script run with
    /// -ErrorAction Stop stops on it; the result itself, written first, stays the data (it is the error's TargetObject).
    /// </summary>
    protected void WriteLookupFailed(object result, string subject, string what, DnsErrorKind errorKind)
    {
        var cause = errorKind == DnsErrorKind.None ? string.Empty : $" ({errorKind})";
        var message = $"The DNS lookup of {what} for {subject} could not be done{cause}; its Status is Error, which says nothing about whether the record exists. Try again, or ask another server with -Server.";
        WriteError(new ErrorRecord(new DnsLookupFailedException(message, subject, errorKind.ToString()), DnsLookupFailedErrorId,
            errorKind == DnsErrorKind.Timeout ? ErrorCategory.OperationTimeout : ErrorCategory.ResourceUnavailable, result));
    }

    /// <summary>The resolver for this cmdlet, ready after BeginProcessing.</summary>
    protected IDnsResolver Resolver => _cache?.Resolver;

    private PipelineResolverCache.Lease _cache;

    protected override void BeginProcessing()
    {
        var servers = new List<DnsServerEndpoint>();
        if (Server != null)
        {
            var bad = new List<MailAuthInputException>();
            foreach (var s in Server)
            {
                try { servers.Add(DnsServerEndpoint.Parse(s)); }
                catch (MailAuthInputException ex) { bad.Add(ex); }
            }
            // One error per bad value. When none is usable, the last one is terminating: nothing can be asked.
            for (int i = 0; i < bad.Count; i++)
            {
                if (servers.Count == 0 && i == bad.Count - 1)
                    ThrowTerminatingError(new ErrorRecord(bad[i], bad[i].ErrorId, ErrorCategory.InvalidArgument, bad[i].Target));
                WriteInputError(bad[i]);
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

/// <summary>A DNS lookup that could not be done: the exception of a DnsLookupFailed error record.</summary>
public sealed class DnsLookupFailedException : Exception
{
    public DnsLookupFailedException(string message, string subject, string errorKind) : base(message)
    {
        Subject = subject;
        ErrorKind = errorKind;
    }

    /// <summary>The domain or name whose lookup failed.</summary>
    public string Subject { get; }

    /// <summary>Timeout, ServerFailure, Refused, Network, ...</summary>
    public string ErrorKind { get; }
}
