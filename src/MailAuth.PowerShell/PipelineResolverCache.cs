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
/// <c>Get-SpfRecord a.com | Test-Spf ...</c> asks each question once. A new pipeline starts afresh.
/// </summary>
internal static class PipelineResolverCache
{
    private static readonly object Gate = new object();
    private static readonly Dictionary<(Guid, long, string), CachingResolver> Entries = new Dictionary<(Guid, long, string), CachingResolver>();

    internal static IDnsResolver Get(PSCmdlet cmdlet, DnsResolverOptions options)
    {
        var runspace = Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
        var pipeline = cmdlet.MyInvocation?.HistoryId ?? 0;
        var settings = string.Join(",", options.Servers.Select(s => s.ToString())) + "|" + options.Timeout.TotalMilliseconds + "|" + options.Retries;
        var key = (runspace, pipeline, settings);
        lock (Gate)
        {
            if (Entries.TryGetValue(key, out var existing)) return existing;
            // A new pipeline in this runspace: the older pipelines' caches are done with.
            foreach (var stale in Entries.Keys.Where(k => k.Item1 == runspace && k.Item2 != pipeline).ToList()) Entries.Remove(stale);
            if (Entries.Count > 64) Entries.Clear();
            var resolver = new CachingResolver(new DnsClientResolver(options));
            Entries[key] = resolver;
            return resolver;
        }
    }
}
