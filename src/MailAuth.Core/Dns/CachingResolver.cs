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
/// <item>At most about <see cref="Capacity"/> questions are held: the cache keeps two generations, the questions asked
/// (or answered from the cache) since the last turn and those of the turn before; when the newer one is half full, the
/// older is dropped. A question asked again and again (the names many domains share) stays; one asked once leaves after
/// two turns, so a pipeline over a million domains holds a bounded cache, and its answers die young for the garbage
/// collector instead of being promoted and kept.</item>
/// </list>
/// </remarks>
public sealed class CachingResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly Func<DateTimeOffset> _clock;
    private readonly bool _keepsEveryAnswer;
    private readonly object _turnGate = new object();
    private ConcurrentDictionary<(string, DnsRecordType), Entry> _young = new ConcurrentDictionary<(string, DnsRecordType), Entry>();
    private ConcurrentDictionary<(string, DnsRecordType), Entry> _old = new ConcurrentDictionary<(string, DnsRecordType), Entry>();
    private int _youngCount;
    private int _questions;

    /// <summary>The questions a command's cache holds at most (about; two generations of half as many each).</summary>
    public const int DefaultCapacity = 8192;

    /// <param name="inner">The resolver that asks the network.</param>
    /// <param name="clock">The time the TTLs run against; the system clock when null.</param>
    /// <param name="capacity">The most questions held (about); at least 2.</param>
    public CachingResolver(IDnsResolver inner, Func<DateTimeOffset> clock = null, int capacity = DefaultCapacity) : this(inner, clock, keepsEveryAnswer: false, capacity)
    {
    }

    private CachingResolver(IDnsResolver inner, Func<DateTimeOffset> clock, bool keepsEveryAnswer, int capacity)
    {
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A cache holds at least two questions.");
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _keepsEveryAnswer = keepsEveryAnswer;
        Capacity = keepsEveryAnswer ? int.MaxValue : capacity;
    }

    /// <summary>The most questions held (about): two generations of half as many each; unbounded for one evaluation.</summary>
    public int Capacity { get; }

    /// <summary>
    /// The cache of one evaluation (one message): every answer is kept, failures included, for the life of the cache,
    /// so that each question is asked once and every step of the evaluation (SPF, the DKIM keys, DMARC discovery and
    /// alignment) sees the same DNS. Make one per evaluation and drop it; caching across evaluations is the inner
    /// resolver's business.
    /// </summary>
    public static CachingResolver ForOneEvaluation(IDnsResolver inner) => new CachingResolver(inner, null, keepsEveryAnswer: true, int.MaxValue);

    /// <summary>The resolver behind the cache.</summary>
    public IDnsResolver Inner => _inner;

    /// <summary>How many questions this cache passed to the inner resolver.</summary>
    public int Count => Volatile.Read(ref _questions);

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var key = (DnsResourceRecord.Trim(name), type);
        // An answer at hand is handed out as the task that got it: no new task, no state machine.
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<DnsAnswer>(cancellationToken);
        var entry = Find(key);
        return entry.Answered(_clock) ?? AskOrWaitAsync(key, entry, cancellationToken);
    }

    /// <param name="entry">The question's entry as just found; after a failed or aged answer is forgotten, found again.</param>
    private async Task<DnsAnswer> AskOrWaitAsync((string, DnsRecordType) key, Entry entry, CancellationToken cancellationToken)
    {
        for (bool first = true; ; first = false)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!first) entry = Find(key);
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

    /// <summary>The entry of a question: the newer generation's, else the older one's (brought into the newer), else a new one.</summary>
    private Entry Find((string, DnsRecordType) key)
    {
        while (true)
        {
            var young = Volatile.Read(ref _young);
            if (young.TryGetValue(key, out var entry)) return entry;
            var candidate = Volatile.Read(ref _old).TryGetValue(key, out var kept) ? kept : new Entry();
            if (young.TryAdd(key, candidate))
            {
                CountAdded(young);
                return candidate;
            }
        }
    }

    /// <summary>Counts an entry added to the newer generation and turns the generations when it is half the capacity.</summary>
    private void CountAdded(ConcurrentDictionary<(string, DnsRecordType), Entry> young)
    {
        if (Interlocked.Increment(ref _youngCount) < Capacity / 2) return;
        lock (_turnGate)
        {
            if (!ReferenceEquals(young, _young) || Volatile.Read(ref _youngCount) < Capacity / 2) return;
            Volatile.Write(ref _old, young);
            Volatile.Write(ref _young, new ConcurrentDictionary<(string, DnsRecordType), Entry>());
            Volatile.Write(ref _youngCount, 0);
        }
    }

    /// <summary>Questions held now, both generations.</summary>
    internal int HeldCount => Volatile.Read(ref _young).Count + Volatile.Read(ref _old).Count;

    private void Forget((string, DnsRecordType) key, Entry entry)
    {
        var pair = new KeyValuePair<(string, DnsRecordType), Entry>(key, entry);
        ((ICollection<KeyValuePair<(string, DnsRecordType), Entry>>)Volatile.Read(ref _young)).Remove(pair);
        ((ICollection<KeyValuePair<(string, DnsRecordType), Entry>>)Volatile.Read(ref _old)).Remove(pair);
    }

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

        /// <summary>The task of an answer that arrived and is still good; null when there is none yet, or it failed or aged.</summary>
        internal Task<DnsAnswer> Answered(Func<DateTimeOffset> clock)
        {
            var task = Volatile.Read(ref _task);
            return task != null && task.Status == TaskStatus.RanToCompletion && (Expires == DateTimeOffset.MaxValue || IsFresh(clock())) ? task : null;
        }
    }
}
