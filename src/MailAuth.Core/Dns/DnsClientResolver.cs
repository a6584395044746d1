using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace MailAuth.Dns;

/// <summary>
/// <see cref="IDnsResolver"/> over the network: the given servers or the system's (found by DnsClient.NET),
/// UDP on pooled sockets (<see cref="DnsUdpTransport"/>) with TCP through DnsClient.NET when an answer is
/// truncated (RFC 7766) or TCP is asked for, timeouts and retries, the next server after a failure, and
/// CNAME chains followed across zones (an authoritative server answers only for its own zone).
/// </summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client;
    private readonly DnsResolverOptions _options;
    private readonly IPEndPoint[] _servers;

    public DnsClientResolver(DnsResolverOptions options = null)
    {
        _options = options ?? new DnsResolverOptions();
        var lookupOptions = _options.Servers.Count > 0
            ? new LookupClientOptions(_options.Servers.Select(s => new NameServer(s.ToIPEndPoint())).ToArray())
            : new LookupClientOptions();
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = _options.Timeout;
        lookupOptions.Retries = Math.Max(0, _options.Retries);
        lookupOptions.UseTcpOnly = true; // DnsClient is the TCP path; UDP goes through DnsUdpTransport

        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.ContinueOnDnsError = true;
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.UseRandomNameServer = false;
        lookupOptions.EnableAuditTrail = false;
        _client = new LookupClient(lookupOptions);
        _servers = _client.NameServers.Select(n => new IPEndPoint(IPAddress.Parse(n.Address), n.Port)).ToArray();
    }

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var queryName = DnsResourceRecord.Trim(name);
        var chain = new List<string>();
        var current = queryName;
        for (int hop = 0; hop <= _options.MaxCnameHops; hop++)
        {
            var step = await AskAsync(current, type, cancellationToken).ConfigureAwait(false);
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

            // The chain left the server's zone: ask for the target ourselves.
            current = owner;
        }

        return new DnsAnswer(queryName, type, DnsResponseStatus.Error, null, DnsErrorKind.CnameLoop, $"more than {_options.MaxCnameHops} CNAMEs", chain);
    }

    private sealed class Step
    {
        public DnsErrorKind? Error;
        public string ErrorMessage;
        public string Server;
        public DnsResponseStatus Status;
        public Dictionary<string, string> Cnames = new Dictionary<string, string>(StringComparer.Ordinal);
        public List<DnsResourceRecord> Records = new List<DnsResourceRecord>();
    }

    private Task<Step> AskAsync(string name, DnsRecordType type, CancellationToken cancellationToken) =>
        _options.UseTcpOnly ? AskTcpAsync(name, type, cancellationToken) : AskUdpAsync(name, type, cancellationToken);

    /// <summary>
    /// Asks each server in turn over UDP, each as often as the retries allow when it does not answer;
    /// a server that answers with an error RCODE hands over to the next (the last error is the answer).
    /// </summary>
    private async Task<Step> AskUdpAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var exchange = new DnsUdpTransport.Exchange(name, type);
        Step failed = null;
        foreach (var server in _servers)
        {
            for (int attempt = 0; attempt <= Math.Max(0, _options.Retries); attempt++)
            {
                var outcome = await DnsUdpTransport.AskAsync(server, exchange, _options.Timeout, cancellationToken).ConfigureAwait(false);
                if (outcome == DnsUdpTransport.Outcome.Timeout)
                {
                    failed = new Step { Error = DnsErrorKind.Timeout, ErrorMessage = $"No answer from {server} within {_options.Timeout.TotalSeconds:0.###} s.", Server = server.ToString() };
                    continue;
                }
                if (outcome == DnsUdpTransport.Outcome.Network)
                {
                    failed = new Step { Error = DnsErrorKind.Network, ErrorMessage = exchange.ErrorMessage, Server = server.ToString() };
                    continue;
                }
                var answer = exchange.Answer;
                if (DnsWireFormat.IsTruncated(answer))
                {
                    if (_options.UseTcpFallback) return await AskTcpAsync(name, type, cancellationToken).ConfigureAwait(false);
                    return new Step { Error = DnsErrorKind.Other, ErrorMessage = $"The answer from {server} was truncated and TCP fallback is off.", Server = server.ToString() };
                }
                var step = new Step { Server = server.ToString() };
                int rcode = DnsWireFormat.ResponseCode(answer);
                if (rcode != 0 && rcode != (int)DnsHeaderResponseCode.NotExistentDomain)
                {
                    failed = new Step { Error = MapRcode(rcode), ErrorMessage = $"{server} answered {(DnsHeaderResponseCode)rcode}.", Server = step.Server };
                    break; // the next server
                }
                step.Status = rcode == 0 ? DnsResponseStatus.NoError : DnsResponseStatus.NxDomain;
                if (!DnsWireFormat.TryReadAnswers(answer, exchange.AnswerLength, type, step.Cnames, step.Records))
                    return new Step { Error = DnsErrorKind.Other, ErrorMessage = $"The answer from {server} is malformed.", Server = step.Server };
                return step;
            }
        }
        return failed ?? new Step { Error = DnsErrorKind.Network, ErrorMessage = "No DNS server to ask." };
    }

    private async Task<Step> AskTcpAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var step = new Step();
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(new DnsQuestion(name, (QueryType)(int)type, QueryClass.IN), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DnsResponseException ex)
        {
            step.Error = ex.Code == DnsResponseCode.ConnectionTimeout ? DnsErrorKind.Timeout
                : ex.Code == DnsResponseCode.Unassigned || ex.InnerException is SocketException ? DnsErrorKind.Network
                : MapRcode((int)ex.Code);
            step.ErrorMessage = ex.Message;
            return step;
        }
        catch (OperationCanceledException ex)
        {
            // DnsClient reports its own per-query timeout as cancellation on some paths.
            step.Error = DnsErrorKind.Timeout;
            step.ErrorMessage = ex.Message;
            return step;
        }
        catch (SocketException ex)
        {
            step.Error = DnsErrorKind.Network;
            step.ErrorMessage = ex.Message;
            return step;
        }
        catch (Exception ex) when (ex is TimeoutException)
        {
            step.Error = DnsErrorKind.Timeout;
            step.ErrorMessage = ex.Message;
            return step;
        }

        step.Server = response.NameServer?.ToString();
        var rcode = (int)response.Header.ResponseCode;
        if (rcode == (int)DnsHeaderResponseCode.NotExistentDomain)
        {
            step.Status = DnsResponseStatus.NxDomain;
        }
        else if (rcode != 0)
        {
            step.Error = MapRcode(rcode);
            step.ErrorMessage = response.ErrorMessage;
            return step;
        }
        else
        {
            step.Status = DnsResponseStatus.NoError;
        }

        foreach (var rr in response.Answers)
        {
            var owner = DnsResourceRecord.Trim(rr.DomainName.Value);
            switch (rr)
            {
                case CNameRecord c:
                    step.Cnames[owner] = DnsResourceRecord.Trim(c.CanonicalName.Value);
                    if (type == DnsRecordType.CNAME) step.Records.Add(DnsResourceRecord.Cname(owner, c.CanonicalName.Value, rr.TimeToLive));
                    break;
                case TxtRecord t when type == DnsRecordType.TXT:
                    step.Records.Add(DnsResourceRecord.Txt(owner, t.Text.ToList(), rr.TimeToLive));
                    break;
                case ARecord a when type == DnsRecordType.A:
                    step.Records.Add(DnsResourceRecord.Address4Or6(owner, a.Address, rr.TimeToLive));
                    break;
                case AaaaRecord a6 when type == DnsRecordType.AAAA:
                    step.Records.Add(DnsResourceRecord.Address4Or6(owner, a6.Address, rr.TimeToLive));
                    break;
                case MxRecord mx when type == DnsRecordType.MX:
                    step.Records.Add(DnsResourceRecord.Mx(owner, mx.Preference, mx.Exchange.Value, rr.TimeToLive));
                    break;
                case PtrRecord p when type == DnsRecordType.PTR:
                    step.Records.Add(DnsResourceRecord.Ptr(owner, p.PtrDomainName.Value, rr.TimeToLive));
                    break;
                case NsRecord ns when type == DnsRecordType.NS:
                    step.Records.Add(DnsResourceRecord.Ns(owner, ns.NSDName.Value, rr.TimeToLive));
                    break;
                case TxtRecord spf when type == DnsRecordType.SPF:
                    // DnsClient parses type 99 as a TxtRecord.
                    step.Records.Add(DnsResourceRecord.Spf(owner, spf.Text.ToList(), rr.TimeToLive));
                    break;
                case UnknownRecord u when type == DnsRecordType.SPF:
                    step.Records.Add(DnsResourceRecord.Spf(owner, ParseCharacterStrings(u.Data), rr.TimeToLive));
                    break;
            }
        }
        return step;
    }

    private static IReadOnlyList<string> ParseCharacterStrings(IReadOnlyList<byte> data)
    {
        var list = new List<string>();
        int i = 0;
        while (i < data.Count)
        {
            int len = data[i++];
            var bytes = new byte[Math.Min(len, data.Count - i)];
            for (int j = 0; j < bytes.Length; j++) bytes[j] = data[i + j];
            list.Add(System.Text.Encoding.UTF8.GetString(bytes));
            i += len;
        }
        return list;
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
