using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using MailAuth.Dns;

namespace MailAuth.PowerShell;

/// <summary>
/// One DNS cache per pipeline: the MailAuth cmdlets that run in one pipeline (and the MailAuth commands called
/// from script blocks inside it) with the same DNS settings share one <see cref="CachingResolver"/>, so
/// <c>Get-SpfRecord a.com | Test-Spf ...</c> asks each question once. The cache lives while at least one of those
/// cmdlets is running: PowerShell begins every command of a pipeline before the first one ends, so they all hold
/// it, and it is dropped when the last of them is disposed. The next statement (the next turn of a retry loop, the
/// next line of a runbook) asks afresh. Within the cache, failures are never kept and answers no longer than their
/// TTL (see <see cref="CachingResolver"/>). Runspaces (ForEach-Object -Parallel, jobs) have caches of their own.
/// </summary>
internal static class PipelineResolverCache
{
    private static readonly object Gate = new object();
    private static readonly Dictionary<Guid, Scope> Scopes = new Dictionary<Guid, Scope>();

    /// <summary>Takes a share in the cache of the running pipeline; dispose the lease when the cmdlet is done.</summary>
    internal static Lease Acquire(DnsResolverOptions options)
    {
        var runspace = Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
        var settings = string.Join(",", options.Servers.Select(s => s.ToString())) + "|" + options.Timeout.TotalMilliseconds + "|" + options.Retries;
        lock (Gate)
        {
            if (!Scopes.TryGetValue(runspace, out var scope)) Scopes[runspace] = scope = new Scope();
            scope.Holders++;
            if (!scope.Resolvers.TryGetValue(settings, out var resolver))
                scope.Resolvers[settings] = resolver = new CachingResolver(new StubResolver(options));
            return new Lease(runspace, resolver);
        }
    }

    private static void Release(Guid runspace)
    {
        lock (Gate)
        {
            if (Scopes.TryGetValue(runspace, out var scope) && --scope.Holders <= 0) Scopes.Remove(runspace);
        }
    }

    /// <summary>The caches of one runspace's running pipeline, and how many cmdlets hold them.</summary>
    private sealed class Scope
    {
        internal readonly Dictionary<string, CachingResolver> Resolvers = new Dictionary<string, CachingResolver>(StringComparer.Ordinal);
        internal int Holders;
    }

    /// <summary>One cmdlet's share in its pipeline's cache.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly Guid _runspace;
        private bool _released;

        internal Lease(Guid runspace, IDnsResolver resolver) => (_runspace, Resolver) = (runspace, resolver);

        internal IDnsResolver Resolver { get; }

        public void Dispose()
        {
            if (_released) return;
            _released = true;
            Release(_runspace);
        }
    }
}
