using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns;

/// <summary>
/// Answers DNS questions. Implementations: <see cref="StubResolver"/> (the network),
/// <see cref="InMemoryResolver"/> (zones held in memory, for tests and conformance suites) and
/// <see cref="CachingResolver"/> (a cache in front of either). Never throws for DNS failures:
/// those are answers with <see cref="DnsResponseStatus.Error"/>. Only cancellation throws.
/// </summary>
public interface IDnsResolver
{
    Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default);
}
