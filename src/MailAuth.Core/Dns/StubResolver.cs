using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;

namespace MailAuth.Dns;

/// <summary>
/// A stub resolver (RFC 1034 §5.3.1), the <see cref="IDnsResolver"/> over the network: it asks the given servers or the system's (found by DnsClient.NET,
/// which is used for nothing else). MailAuth's own transports carry every question: UDP on pooled sockets
/// (<see cref="DnsUdpTransport"/>), TCP on pooled connections (<see cref="DnsTcpTransport"/>) when an answer is
/// truncated (RFC 7766 §5) or TCP is asked for; both check ID and question, and one reader
/// (<see cref="DnsWireFormat"/>) maps every answer. Timeouts and retries per server, the next server after a
/// failure, and CNAME chains followed across zones (an authoritative server answers only for its own zone).
/// Every failure is an answer with <see cref="DnsResponseStatus.Error"/>; only cancellation throws.
/// </summary>
public sealed class StubResolver : IDnsResolver
{
    private readonly DnsResolverOptions _options;
    private readonly IPEndPoint[] _servers;

    public StubResolver(DnsResolverOptions options = null)
    {
        _options = options ?? new DnsResolverOptions();
        _servers = _options.Servers.Count > 0
            ? _options.Servers.Select(s => s.ToIPEndPoint()).ToArray()
            : NameServer.ResolveNameServers().Select(n => new IPEndPoint(IPAddress.Parse(n.Address), n.Port)).ToArray();
    }

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!DnsWireFormat.TryWriteQuery(name, type, out var firstQuery, out var invalid))
            return new DnsAnswer(name, type, DnsResponseStatus.Error, null, DnsErrorKind.InvalidName, invalid);
        var queryName = DnsWireFormat.QuestionName(firstQuery);
        var chain = new List<string>();
        var current = queryName;
        var query = firstQuery;
        for (int hop = 0; hop <= _options.MaxCnameHops; hop++)
        {
            var step = await AskAsync(query, type, cancellationToken).ConfigureAwait(false);
            if (step.Error != null)
                return new DnsAnswer(queryName, type, DnsResponseStatus.Error, null, step.Error.Value, step.ErrorMessage, chain, step.Server);

            // Follow the CNAMEs within this answer.
            var cnames = step.Cnames;
            var owner = current;
            int guard = 0;
            while (type != DnsRecordType.CNAME && cnames.TryGetValue(owner, out var target) && guard++ <= _options.MaxCnameHops)
            {
                if (chain.Contains(target) || target == queryName)
                    return new DnsAnswer(queryName, type, DnsResponseStatus.Error, null, DnsErrorKind.CnameLoop, $"CNAME loop at {target}", chain, step.Server);
                chain.Add(target);
                owner = target;
            }
            if (chain.Count > _options.MaxCnameHops)
                return new DnsAnswer(queryName, type, DnsResponseStatus.Error, null, DnsErrorKind.CnameLoop, $"more than {_options.MaxCnameHops} CNAMEs", chain, step.Server);

            var records = step.Records.Where(r => r.Name == owner).ToList();
            if (records.Count > 0 || owner == current)
            {
                var status = records.Count > 0 ? DnsResponseStatus.NoError : step.Status;
                return new DnsAnswer(queryName, type, status, records, DnsErrorKind.None, null, chain, step.Server);
            }

            // The chain left the server's zone: ask for the target ourselves, as exactly the octets it was read as.
            current = owner;
            if (!DnsWireFormat.TryWriteQuery(current, type, out query, out invalid))
                return new DnsAnswer(queryName, type, DnsResponseStatus.Error, null, DnsErrorKind.InvalidName, invalid, chain, step.Server);
        }

        return new DnsAnswer(queryName, type, DnsResponseStatus.Error, null, DnsErrorKind.CnameLoop, $"more than {_options.MaxCnameHops} CNAMEs", chain);
    }

    private sealed class Step
    {
        public DnsErrorKind? Error;
        public string ErrorMessage;
        public string Server;
        public DnsResponseStatus Status;
        public bool Truncated;
        public Dictionary<string, string> Cnames = new Dictionary<string, string>(StringComparer.Ordinal);
        public List<DnsResourceRecord> Records = new List<DnsResourceRecord>();

        public static Step Failed(DnsErrorKind kind, string message, IPEndPoint server) =>
            new Step { Error = kind, ErrorMessage = message, Server = server?.ToString() };
    }

    /// <summary>
    /// Asks each server in turn until one answers: over UDP (TCP with <see cref="DnsResolverOptions.UseTcpOnly"/>),
    /// again over TCP when the UDP answer is truncated. A server that fails in any way hands over to the next;
    /// the last failure is the answer.
    /// </summary>
    private async Task<Step> AskAsync(byte[] query, DnsRecordType type, CancellationToken cancellationToken)
    {
        Step failed = null;
        foreach (var server in _servers)
        {
            var step = await AskServerAsync(server, query, type, _options.UseTcpOnly, cancellationToken).ConfigureAwait(false);
            if (step.Truncated)
            {
                if (!_options.UseTcpFallback)
                    return Step.Failed(DnsErrorKind.Other, $"The answer from {server} was truncated and TCP fallback is off.", server);
                step = await AskServerAsync(server, query, type, tcp: true, cancellationToken).ConfigureAwait(false);
                if (step.Truncated) step = Step.Failed(DnsErrorKind.Other, $"The answer from {server} was truncated even over TCP.", server);
            }
            if (step.Error == null) return step;
            failed = step;
        }
        return failed ?? Step.Failed(DnsErrorKind.Network, "No DNS server to ask.", null);
    }

    /// <summary>
    /// One server, over one transport, as often as the retries allow when it does not answer; the same
    /// checks whatever the transport (ID and question in the transports, then RCODE and the message here).
    /// </summary>
    private async Task<Step> AskServerAsync(IPEndPoint server, byte[] query, DnsRecordType type, bool tcp, CancellationToken cancellationToken)
    {
        var exchange = new DnsExchange(query);
        var via = tcp ? "TCP" : "UDP";
        Step failed = null;
        for (int attempt = 0; attempt <= Math.Max(0, _options.Retries); attempt++)
        {
            var outcome = tcp
                ? await DnsTcpTransport.AskAsync(server, exchange, _options.Timeout, cancellationToken).ConfigureAwait(false)
                : await DnsUdpTransport.AskAsync(server, exchange, _options.Timeout, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case DnsTransportOutcome.Timeout:
                    failed = Step.Failed(DnsErrorKind.Timeout, $"No answer from {server} over {via} within {_options.Timeout.TotalSeconds:0.###} s.", server);
                    continue;
                case DnsTransportOutcome.Network:
                    failed = Step.Failed(DnsErrorKind.Network, exchange.ErrorMessage, server);
                    continue;
                case DnsTransportOutcome.Rejected:
                    return Step.Failed(DnsErrorKind.Other, exchange.ErrorMessage, server);
            }

            var answer = exchange.Answer;
            int length = exchange.AnswerLength;
            if (DnsWireFormat.IsTruncated(answer, length)) return new Step { Truncated = true, Server = server.ToString() };
            int rcode = DnsWireFormat.ResponseCode(answer, length);
            if (rcode != NoError && rcode != NxDomain)
                return Step.Failed(MapRcode(rcode), $"{server} answered {RcodeName(rcode)}.", server);
            var step = new Step { Server = server.ToString(), Status = rcode == NoError ? DnsResponseStatus.NoError : DnsResponseStatus.NxDomain };
            if (!DnsWireFormat.TryReadAnswers(answer, length, type, step.Cnames, step.Records))
                return Step.Failed(DnsErrorKind.Other, $"The answer from {server} over {via} is malformed.", server);
            return step;
        }
        return failed;
    }

    /// <summary>RCODEs 0 and 3 (RFC 1035 §4.1.1): answers, where every other RCODE is a failure of the server.</summary>
    private const int NoError = 0;
    private const int NxDomain = 3;

    /// <summary>The mnemonic of an RCODE (RFC 1035 §4.1.1).</summary>
    private static string RcodeName(int rcode)
    {
        switch (rcode)
        {
            case 1: return "FORMERR";
            case 2: return "SERVFAIL";
            case 4: return "NOTIMP";
            case 5: return "REFUSED";
            default: return "RCODE " + rcode;
        }
    }

    private static DnsErrorKind MapRcode(int rcode)
    {
        switch (rcode)
        {
            case 1: return DnsErrorKind.FormatError;
            case 2: return DnsErrorKind.ServerFailure;
            case 4: return DnsErrorKind.NotImplemented;
            case 5: return DnsErrorKind.Refused;
            default: return DnsErrorKind.Other;
        }
    }
}
