using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Bench.Spf;

/// <summary>
/// In-memory DNS for the benchmark: the answers of an <see cref="InMemoryResolver"/>, kept as completed tasks
/// after the first question, so that a lookup costs a dictionary hit, as the zonedata dict does on pyspf's side.
/// </summary>
internal sealed class PrecomputedResolver : IDnsResolver
{
    private readonly InMemoryResolver _zone;
    private readonly ConcurrentDictionary<(string, DnsRecordType), Task<DnsAnswer>> _answers = new ConcurrentDictionary<(string, DnsRecordType), Task<DnsAnswer>>();

    public PrecomputedResolver(InMemoryResolver zone) => _zone = zone;

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default) =>
        _answers.GetOrAdd((name, type), k => Task.FromResult(_zone.Answer(k.Item1, k.Item2)));
}
