using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// Passes every question to another resolver and records it: which questions were asked, in order, and how many were
/// in flight at once. An optional delay holds each answer back, so that questions asked one after another and questions
/// asked together can be told apart.
/// </summary>
public sealed class CountingResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly TimeSpan _delay;
    private readonly ConcurrentQueue<(string Name, DnsRecordType Type)> _questions = new ConcurrentQueue<(string, DnsRecordType)>();
    private int _inFlight;
    private int _maxInFlight;

    public CountingResolver(IDnsResolver inner, TimeSpan delay = default)
    {
        _inner = inner;
        _delay = delay;
    }

    /// <summary>Every question asked, in order.</summary>
    public IReadOnlyList<(string Name, DnsRecordType Type)> Questions => _questions.ToList();

    /// <summary>The most questions that were waiting for an answer at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        _questions.Enqueue((name.TrimEnd('.').ToLowerInvariant(), type));
        int now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
        try
        {
            if (_delay > TimeSpan.Zero) await Task.Delay(_delay, cancellationToken).ConfigureAwait(false);
            return await _inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        }
        finally { Interlocked.Decrement(ref _inFlight); }
    }
}
