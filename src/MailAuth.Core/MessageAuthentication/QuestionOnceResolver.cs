using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.MessageAuthentication;

/// <summary>
/// The resolver of one message's evaluation: each question (name and type) goes to the real resolver once, and every
/// later asker gets the same answer, so that SPF, the DKIM keys, DMARC discovery and the alignment tree walks of one
/// message never ask twice (a DMARC walk of the From domain is shared by discovery and alignment). Made per message and
/// then dropped, so it never serves an answer past its message; caching across messages is the caller's resolver's job.
/// </summary>
internal sealed class QuestionOnceResolver : IDnsResolver
{
    private readonly IDnsResolver _resolver;
    private readonly Dictionary<(string Name, DnsRecordType Type), Task<DnsAnswer>> _asked = new Dictionary<(string, DnsRecordType), Task<DnsAnswer>>();

    public QuestionOnceResolver(IDnsResolver resolver) => _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var key = ((name ?? string.Empty).TrimEnd('.').ToLowerInvariant(), type);
        lock (_asked)
        {
            if (_asked.TryGetValue(key, out var asked)) return asked;
            var query = _resolver.QueryAsync(name, type, cancellationToken);
            _asked[key] = query;
            return query;
        }
    }
}
