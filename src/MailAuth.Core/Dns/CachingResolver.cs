using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns;

/// <summary>
/// A cache in front of another resolver, for the life of one pipeline: the same question is
/// asked once, and concurrent askers share the one answer. Failed answers are cached too, so
/// one pipeline sees one consistent view of the DNS.
/// </summary>
public sealed class CachingResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly ConcurrentDictionary<(string, DnsRecordType), Lazy<Task<DnsAnswer>>> _cache =
        new ConcurrentDictionary<(string, DnsRecordType), Lazy<Task<DnsAnswer>>>();

    public CachingResolver(IDnsResolver inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The resolver behind the cache.</summary>
    public IDnsResolver Inner => _inner;

    /// <summary>How many distinct questions reached the inner resolver.</summary>
    public int Count => _cache.Count;

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var key = (DnsResourceRecord.Trim(name), type);
        var lazy = _cache.GetOrAdd(key, k => new Lazy<Task<DnsAnswer>>(() => _inner.QueryAsync(k.Item1, k.Item2, CancellationToken.None)));
        var task = lazy.Value;
        if (task.IsCanceled || task.IsFaulted) _cache.TryRemove(key, out _);
        return cancellationToken.CanBeCanceled && !task.IsCompleted ? WithCancellation(task, cancellationToken) : task;
    }

    private static async Task<DnsAnswer> WithCancellation(Task<DnsAnswer> task, CancellationToken token)
    {
        var tcs = new TaskCompletionSource<bool>();
        using (token.Register(() => tcs.TrySetResult(true)))
        {
            if (await Task.WhenAny(task, tcs.Task).ConfigureAwait(false) != task)
                throw new OperationCanceledException(token);
        }
        return await task.ConfigureAwait(false);
    }
}
