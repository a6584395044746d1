using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns;

/// <summary>
/// A cache in front of another resolver, meant to live as long as one command (a PowerShell pipeline) or one
/// evaluation (a message): the same question is asked once while its answer is good, and concurrent askers share
/// one question on the wire.
/// </summary>
/// <remarks>
/// What a command's cache keeps, and for how long (<see cref="ForOneEvaluation"/> keeps every answer instead):
/// <list type="bullet">
/// <item>A failure (timeout, SERVFAIL, REFUSED, a network or format error) is never kept: the askers that waited
/// for it share it, and the next asker asks again, so a retry loop sees a server that has come up.</item>
/// <item>An answer with records is kept for the smallest TTL among them (RFC 1035 §3.2.1); a TTL of 0 is not kept.</item>
/// <item>A negative answer (NXDOMAIN or NODATA) is kept for the life of the cache: the resolver does not carry
/// the SOA minimum of RFC 2308 §5, and the cache is meant to live no longer than the command that asked.</item>
/// </list>
/// </remarks>
public sealed class CachingResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly Func<DateTimeOffset> _clock;
    private readonly ConcurrentDictionary<(string, DnsRecordType), Entry> _cache = new ConcurrentDictionary<(string, DnsRecordType), Entry>();
    private readonly bool _keepsEveryAnswer;
    private int _questions;

    /// <param name="inner">The resolver that asks the network.</param>
    /// <param name="clock">The time the TTLs run against; the system clock when null.</param>
    public CachingResolver(IDnsResolver inner, Func<DateTimeOffset> clock = null) : this(inner, clock, keepsEveryAnswer: false)
    {
    }

    private CachingResolver(IDnsResolver inner, Func<DateTimeOffset> clock, bool keepsEveryAnswer)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _keepsEveryAnswer = keepsEveryAnswer;
    }

    /// <summary>
    /// The cache of one evaluation (one message): every answer is kept, failures included, for the life of the cache,
    /// so that each question is asked once and every step of the evaluation (SPF, the DKIM keys, DMARC discovery and
    /// alignment) sees the same DNS. Make one per evaluation and drop it; caching across evaluations is the inner
    /// resolver's business.
    /// </summary>
    public static CachingResolver ForOneEvaluation(IDnsResolver inner) => new CachingResolver(inner, null, keepsEveryAnswer: true);

    /// <summary>The resolver behind the cache.</summary>
    public IDnsResolver Inner => _inner;

    /// <summary>How many questions this cache passed to the inner resolver.</summary>
    public int Count => Volatile.Read(ref _questions);

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var key = (DnsResourceRecord.Trim(name), type);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = _cache.GetOrAdd(key, k => new Entry());
            var task = entry.Start(this, key, cancellationToken, out var startedHere);
            if (startedHere || !task.IsCompleted)
            {
                // The asker that started a question, and those who waited while it was in flight, share its
                // outcome, a failure included.
                await WhenCompleted(task, cancellationToken).ConfigureAwait(false);
                if (task.Status == TaskStatus.RanToCompletion) return task.Result;
                Forget(key, entry);
                if (task.IsCanceled && !cancellationToken.IsCancellationRequested) continue;
                return await task.ConfigureAwait(false);
            }
            if (task.Status == TaskStatus.RanToCompletion && entry.IsFresh(_clock())) return task.Result;
            // Answered before this asker came, and failed or out of date since: ask again.
            Forget(key, entry);
        }
    }

    private void Forget((string, DnsRecordType) key, Entry entry) =>
        ((ICollection<KeyValuePair<(string, DnsRecordType), Entry>>)_cache).Remove(new KeyValuePair<(string, DnsRecordType), Entry>(key, entry));

    private async Task<DnsAnswer> AskAsync(Entry entry, (string Name, DnsRecordType Type) key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _questions);
        var answer = await _inner.QueryAsync(key.Name, key.Type, cancellationToken).ConfigureAwait(false);
        entry.Expires = !_keepsEveryAnswer && Lifetime(answer) is TimeSpan ttl ? _clock() + ttl : DateTimeOffset.MaxValue;
        return answer;
    }

    /// <summary>How long an answer may be kept; null for the life of the cache.</summary>
    private static TimeSpan? Lifetime(DnsAnswer answer)
    {
        if (answer.IsError) return TimeSpan.Zero;
        if (answer.Records.Count == 0) return null;
        var ttl = int.MaxValue;
        foreach (var record in answer.Records) ttl = Math.Min(ttl, Math.Max(0, record.Ttl));
        return TimeSpan.FromSeconds(ttl);
    }

    private static async Task WhenCompleted(Task<DnsAnswer> task, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            try { await task.ConfigureAwait(false); } catch { }
            return;
        }
        var cancelled = new TaskCompletionSource<bool>();
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>One question: its answer once asked, and until when the answer may be used.</summary>
    private sealed class Entry
    {
        private Task<DnsAnswer> _task;

        internal DateTimeOffset Expires = DateTimeOffset.MaxValue;

        /// <summary>The question's task; the first caller starts it with its own cancellation token.</summary>
        internal Task<DnsAnswer> Start(CachingResolver owner, (string, DnsRecordType) key, CancellationToken cancellationToken, out bool startedHere)
        {
            startedHere = false;
            var existing = Volatile.Read(ref _task);
            if (existing != null) return existing;
            lock (this)
            {
                if (_task != null) return _task;
                startedHere = true;
                _task = owner.AskAsync(this, key, cancellationToken);
                return _task;
            }
        }

        internal bool IsFresh(DateTimeOffset now) => now < Expires;
    }
}
