using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MailAuth.Dns;

namespace MailAuth.PowerShell;

/// <summary>
/// One DNS cache per pipeline: every MailAuth cmdlet in the same pipeline (same runspace, same
/// history id) with the same DNS settings shares one <see cref="CachingResolver"/>, so
/// <c>Get-SpfRecord a.com | Test-Spf ...</c> asks each question once. A new pipeline starts afresh:
/// a runspace's caches are dropped when it becomes available again (its pipeline has ended). The
/// history id alone does not tell pipelines apart where a host invokes them without adding them to
/// the history (the PowerShell SDK, runbooks): they all share one id. Within one script run every statement
/// has the same history id, so the whole script shares one cache (a DNS change made while it runs is not seen);
/// PowerShell exposes no public id of the pipeline a statement runs in.
/// </summary>
internal static class PipelineResolverCache
{
    private static readonly object Gate = new object();
    private static readonly Dictionary<(Guid, long, string), CachingResolver> Entries = new Dictionary<(Guid, long, string), CachingResolver>();
    private static readonly HashSet<Guid> Watched = new HashSet<Guid>();

    internal static IDnsResolver Get(PSCmdlet cmdlet, DnsResolverOptions options)
    {
        var current = Runspace.DefaultRunspace;
        var runspace = current?.InstanceId ?? Guid.Empty;
        var pipeline = cmdlet.MyInvocation?.HistoryId ?? 0;
        var settings = string.Join(",", options.Servers.Select(s => s.ToString())) + "|" + options.Timeout.TotalMilliseconds + "|" + options.Retries;
        var key = (runspace, pipeline, settings);
        lock (Gate)
        {
            if (current != null && Watched.Add(runspace))
            {
                current.AvailabilityChanged += OnAvailabilityChanged;
                current.StateChanged += OnStateChanged;
            }
            if (Entries.TryGetValue(key, out var existing)) return existing;
            // A new pipeline in this runspace: the older pipelines' caches are done with.
            Forget(runspace, k => k.Item2 != pipeline);
            if (Entries.Count > 64) Entries.Clear();
            var resolver = new CachingResolver(new DnsClientResolver(options));
            Entries[key] = resolver;
            return resolver;
        }
    }

    private static void OnAvailabilityChanged(object sender, RunspaceAvailabilityEventArgs e)
    {
        if (e.RunspaceAvailability != RunspaceAvailability.Available || !(sender is Runspace runspace)) return;
        lock (Gate) Forget(runspace.InstanceId, _ => true);
    }

    private static void OnStateChanged(object sender, RunspaceStateEventArgs e)
    {
        var state = e.RunspaceStateInfo.State;
        if (!(sender is Runspace runspace) || (state != RunspaceState.Closed && state != RunspaceState.Broken)) return;
        runspace.AvailabilityChanged -= OnAvailabilityChanged;
        runspace.StateChanged -= OnStateChanged;
        lock (Gate)
        {
            Forget(runspace.InstanceId, _ => true);
            Watched.Remove(runspace.InstanceId);
        }
    }

    /// <summary>Drops the caches of <paramref name="runspace"/> whose key matches; call under <see cref="Gate"/>.</summary>
    private static void Forget(Guid runspace, Func<(Guid, long, string), bool> match)
    {
        foreach (var stale in Entries.Keys.Where(k => k.Item1 == runspace && match(k)).ToList()) Entries.Remove(stale);
    }
}
