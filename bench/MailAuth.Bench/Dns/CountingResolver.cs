using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Bench.Dns;

/// <summary>Counts the questions that reach the resolver it wraps (the network, or recorded answers), and can keep them.</summary>
internal sealed class CountingResolver : IDnsResolver
{
    private readonly IDnsResolver _inner;
    private readonly ConcurrentQueue<(string Name, DnsRecordType Type)> _asked;
    private long _count;

    /// <param name="inner">The resolver that answers.</param>
    /// <param name="keepQuestions">Keep every question in <see cref="Asked"/> (for recording what one check asks).</param>
    public CountingResolver(IDnsResolver inner, bool keepQuestions = false)
    {
        _inner = inner;
        _asked = keepQuestions ? new ConcurrentQueue<(string, DnsRecordType)>() : null;
    }

    public long Count => Interlocked.Read(ref _count);

    /// <summary>The questions asked, in order, when kept.</summary>
    public IReadOnlyCollection<(string Name, DnsRecordType Type)> Asked => _asked;

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        _asked?.Enqueue((name, type));
        return _inner.QueryAsync(name, type, cancellationToken);
    }
}
