using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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

    /// <summary>
    /// The cached answer, or the inner resolver's. A question is started with the token of its first asker, and
    /// only once that token is not cancelled, so nothing is sent after cancellation; an asker whose own token is
    /// not cancelled does not inherit another's cancellation: the question is started again for it.
    /// </summary>
    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var key = (DnsResourceRecord.Trim(name), type);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lazy = _cache.GetOrAdd(key, k => new Lazy<Task<DnsAnswer>>(() => _inner.QueryAsync(k.Item1, k.Item2, cancellationToken)));
            var task = lazy.Value;
            if (task.IsCanceled || task.IsFaulted) ((ICollection<KeyValuePair<(string, DnsRecordType), Lazy<Task<DnsAnswer>>>>)_cache).Remove(new KeyValuePair<(string, DnsRecordType), Lazy<Task<DnsAnswer>>>(key, lazy));
            try
            {
                return cancellationToken.CanBeCanceled && !task.IsCompleted
                    ? await WithCancellation(task, cancellationToken).ConfigureAwait(false)
                    : await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && task.IsCanceled)
            {
                // Another asker's cancellation ended the shared question; ask again with this one's token.
                ((ICollection<KeyValuePair<(string, DnsRecordType), Lazy<Task<DnsAnswer>>>>)_cache).Remove(new KeyValuePair<(string, DnsRecordType), Lazy<Task<DnsAnswer>>>(key, lazy));
            }
        }
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
