using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns;

/// <summary>
/// Zones held in memory: the resolver for large tables of cases (the RFC 7208 suite's zonedata,
/// property tests, benchmarks). It answers as a recursive resolver would: CNAMEs followed,
/// NXDOMAIN only where no name exists at or below, NODATA otherwise, and configured failures
/// (timeout, SERVFAIL, ...) for chosen names. Build it first, then query it from any thread.
/// </summary>
public sealed class InMemoryResolver : IDnsResolver
{
    private readonly Dictionary<string, List<DnsResourceRecord>> _records = new Dictionary<string, List<DnsResourceRecord>>(StringComparer.Ordinal);
    private readonly HashSet<string> _existingNames = new HashSet<string>(StringComparer.Ordinal);
    private readonly Dictionary<(string, DnsRecordType?), DnsErrorKind> _failures = new Dictionary<(string, DnsRecordType?), DnsErrorKind>();
    private int _queryCount;

    /// <summary>How many questions this resolver answered.</summary>
    public int QueryCount => _queryCount;

    /// <summary>The most CNAMEs followed before the chain counts as a loop.</summary>
    public int MaxCnameHops { get; set; } = 8;

    public InMemoryResolver Add(DnsResourceRecord record)
    {
        if (record == null) throw new ArgumentNullException(nameof(record));
        if (!_records.TryGetValue(record.Name, out var list)) _records[record.Name] = list = new List<DnsResourceRecord>();
        list.Add(record);
        var n = record.Name;
        while (true)
        {
            _existingNames.Add(n);
            var dot = n.IndexOf('.');
            if (dot < 0) break;
            n = n.Substring(dot + 1);
        }
        return this;
    }

    /// <summary>Adds one TXT record made of the given character-strings.</summary>
    public InMemoryResolver AddTxt(string name, params string[] strings) => Add(DnsResourceRecord.Txt(name, strings));
    public InMemoryResolver AddA(string name, string address) => Add(DnsResourceRecord.Address4Or6(name, IPAddress.Parse(address)));
    public InMemoryResolver AddAaaa(string name, string address) => Add(DnsResourceRecord.Address4Or6(name, IPAddress.Parse(address)));
    public InMemoryResolver AddMx(string name, int preference, string exchange) => Add(DnsResourceRecord.Mx(name, preference, exchange));
    public InMemoryResolver AddCname(string name, string target) => Add(DnsResourceRecord.Cname(name, target));
    public InMemoryResolver AddPtr(string name, string target) => Add(DnsResourceRecord.Ptr(name, target));
    public InMemoryResolver AddSpf(string name, params string[] strings) => Add(DnsResourceRecord.Spf(name, strings));

    /// <summary>Makes every question for <paramref name="name"/> (or only those of <paramref name="type"/>) fail.</summary>
    public InMemoryResolver AddFailure(string name, DnsErrorKind kind, DnsRecordType? type = null)
    {
        _failures[(DnsResourceRecord.Trim(name), type)] = kind;
        return this;
    }

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _queryCount);
        return Task.FromResult(Answer(name, type));
    }

    /// <summary>The synchronous answer, for callers that want no task.</summary>
    public DnsAnswer Answer(string name, DnsRecordType type)
    {
        var queryName = DnsResourceRecord.Trim(name);
        var current = queryName;
        List<string> chain = null;
        for (int hop = 0; ; hop++)
        {
            if (_failures.TryGetValue((current, type), out var kind) || _failures.TryGetValue((current, null), out kind))
                return new DnsAnswer(queryName, type, DnsResponseStatus.Error, null, kind, "configured failure", chain);

            _records.TryGetValue(current, out var here);
            if (here != null && type != DnsRecordType.CNAME)
            {
                var cname = here.FirstOrDefault(r => r.Type == DnsRecordType.CNAME);
                if (cname != null)
                {
                    chain = chain ?? new List<string>();
                    if (hop >= MaxCnameHops || chain.Contains(cname.Target) || cname.Target == queryName)
                        return new DnsAnswer(queryName, type, DnsResponseStatus.Error, null, DnsErrorKind.CnameLoop, $"CNAME loop at {cname.Target}", chain);
                    chain.Add(cname.Target);
                    current = cname.Target;
                    continue;
                }
            }

            if (here != null)
            {
                var matching = here.Where(r => r.Type == type).ToList();
                return new DnsAnswer(queryName, type, DnsResponseStatus.NoError, matching, DnsErrorKind.None, null, chain);
            }

            var status = _existingNames.Contains(current) ? DnsResponseStatus.NoError : DnsResponseStatus.NxDomain;
            return new DnsAnswer(queryName, type, status, null, DnsErrorKind.None, null, chain);
        }
    }
}
