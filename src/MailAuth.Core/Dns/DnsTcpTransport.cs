using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns;

/// <summary>
/// Asks one question over TCP (RFC 1035 §4.2.2, RFC 7766): the message after a two-octet length, on a
/// connection taken from a per-server pool, so that many questions share a few connections (RFC 7766 §6.2.1).
/// One question at a time per connection; a connection whose question timed out, failed or was cancelled is
/// closed, never reused. The answer must echo the ID and the question, as over UDP (RFC 7766 §7, RFC 5452 §4.2);
/// over TCP anything else comes from the server itself, so it ends the attempt as <see cref="DnsTransportOutcome.Rejected"/>
/// instead of being waited past. A server may close an idle connection at any time (RFC 7766 §6.2.3): when a
/// pooled connection turns out closed before any of the answer arrived, the question is asked once more on a
/// new connection, within the same attempt.
/// </summary>
internal static class DnsTcpTransport
{
    /// <summary>Idle connections kept per server; more concurrent questions open connections that are closed after use.</summary>
    private const int MaxIdlePerServer = 64;

    private static readonly ConcurrentDictionary<IPEndPoint, ConcurrentBag<Socket>> Pools = new ConcurrentDictionary<IPEndPoint, ConcurrentBag<Socket>>();

    /// <summary>
    /// Connects (or takes a pooled connection), sends the question and reads its answer, all within
    /// <paramref name="timeout"/>; the answer is left in <paramref name="exchange"/>. Throws only
    /// <see cref="OperationCanceledException"/> (for <paramref name="cancellationToken"/>).
    /// </summary>
    public static async Task<DnsTransportOutcome> AskAsync(IPEndPoint server, DnsExchange exchange, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = new DnsDeadline(timeout);
        var pooled = TryTake(server);
        if (pooled != null)
        {
            var outcome = await AskOnAsync(pooled, reused: true, server, exchange, deadline, cancellationToken).ConfigureAwait(false);
            if (outcome != Attempt.ClosedBeforeAnswer) return Finish(outcome, exchange, server);
        }
        cancellationToken.ThrowIfCancellationRequested();
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            var connect = socket.ConnectAsync(server);
            if (!await deadline.WaitAsync(connect, cancellationToken).ConfigureAwait(false))
            {
                socket.Dispose();
                return DnsTransportOutcome.Timeout;
            }
            await connect.ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            exchange.ErrorMessage = $"{server}: {ex.Message}";
            return DnsTransportOutcome.Network;
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw;
        }
        return Finish(await AskOnAsync(socket, reused: false, server, exchange, deadline, cancellationToken).ConfigureAwait(false), exchange, server);
    }

    private static DnsTransportOutcome Finish(Attempt attempt, DnsExchange exchange, IPEndPoint server)
    {
        switch (attempt)
        {
            case Attempt.Answered: return DnsTransportOutcome.Answered;
            case Attempt.Timeout: return DnsTransportOutcome.Timeout;
            case Attempt.Rejected: return DnsTransportOutcome.Rejected;
            case Attempt.ClosedBeforeAnswer:
                exchange.ErrorMessage = exchange.ErrorMessage ?? $"{server} closed the TCP connection without answering.";
                return DnsTransportOutcome.Network;
            default: return DnsTransportOutcome.Network;
        }
    }

    private enum Attempt { Answered, Timeout, Rejected, ClosedBeforeAnswer, Failed }

    /// <summary>One question on one connection, which is pooled again only after a good answer.</summary>
    private static async Task<Attempt> AskOnAsync(Socket socket, bool reused, IPEndPoint server, DnsExchange exchange, DnsDeadline deadline, CancellationToken cancellationToken)
    {
        bool reusable = false;
        bool anythingRead = false;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var query = exchange.NewAttempt();
            var framed = new byte[query.Length + 2];
            framed[0] = (byte)(query.Length >> 8);
            framed[1] = (byte)query.Length;
            Buffer.BlockCopy(query, 0, framed, 2, query.Length);
            int sent = 0;
            while (sent < framed.Length)
            {
                var send = socket.SendAsync(new ArraySegment<byte>(framed, sent, framed.Length - sent), SocketFlags.None);
                if (!await deadline.WaitAsync(send, cancellationToken).ConfigureAwait(false)) return Attempt.Timeout;
                sent += await send.ConfigureAwait(false);
            }

            var prefix = new byte[2];
            int got = await ReadAsync(socket, prefix, deadline, cancellationToken).ConfigureAwait(false);
            if (got < 0) return Attempt.Timeout;
            if (got < prefix.Length)
            {
                if (got == 0) return reused ? Attempt.ClosedBeforeAnswer : Closed(exchange, server, "without answering");
                return Closed(exchange, server, "in the middle of the answer");
            }
            anythingRead = true;
            int length = (prefix[0] << 8) | prefix[1];
            var answer = new byte[length];
            got = await ReadAsync(socket, answer, deadline, cancellationToken).ConfigureAwait(false);
            if (got < 0) return Attempt.Timeout;
            if (got < length) return Closed(exchange, server, "in the middle of the answer");
            if (length < DnsWireFormat.HeaderLength || answer[0] != query[0] || answer[1] != query[1])
            {
                exchange.ErrorMessage = length < DnsWireFormat.HeaderLength
                    ? $"{server} sent {length} octets over TCP, not a DNS message."
                    : $"{server} answered over TCP with another ID than the question's.";
                return Attempt.Rejected;
            }
            if (!DnsWireFormat.IsResponseTo(answer, length, query))
            {
                exchange.ErrorMessage = $"{server} answered over TCP for another question than {DnsWireFormat.QuestionName(query)}.";
                return Attempt.Rejected;
            }
            exchange.SetAnswer(answer, length);
            reusable = true;
            return Attempt.Answered;
        }
        catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is IOException)
        {
            if (reused && !anythingRead) return Attempt.ClosedBeforeAnswer;
            exchange.ErrorMessage = $"{server}: {ex.Message}";
            return Attempt.Failed;
        }
        finally
        {
            if (reusable) Return(server, socket);
            else socket.Dispose();
        }
    }

    private static Attempt Closed(DnsExchange exchange, IPEndPoint server, string when)
    {
        exchange.ErrorMessage = $"{server} closed the TCP connection {when}.";
        return Attempt.Failed;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the server closes; the octets read, or -1 at the deadline.</summary>
    private static async Task<int> ReadAsync(Socket socket, byte[] buffer, DnsDeadline deadline, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            var receive = socket.ReceiveAsync(new ArraySegment<byte>(buffer, read, buffer.Length - read), SocketFlags.None);
            if (!await deadline.WaitAsync(receive, cancellationToken).ConfigureAwait(false)) return -1;
            int n = await receive.ConfigureAwait(false);
            if (n == 0) break;
            read += n;
        }
        return read;
    }

    /// <summary>
    /// An idle connection to <paramref name="server"/>, or null. A connection that is readable while idle has
    /// been closed by the server, or holds octets nobody asked for: it is closed and the next one is taken.
    /// </summary>
    private static Socket TryTake(IPEndPoint server)
    {
        if (!Pools.TryGetValue(server, out var pool)) return null;
        while (pool.TryTake(out var socket))
        {
            try
            {
                if (!socket.Poll(0, SelectMode.SelectRead)) return socket;
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
            }
            socket.Dispose();
        }
        return null;
    }

    /// <summary>Pools a connection after a good answer, unless the server sent more than the answer.</summary>
    private static void Return(IPEndPoint server, Socket socket)
    {
        var pool = Pools.GetOrAdd(server, _ => new ConcurrentBag<Socket>());
        if (pool.Count < MaxIdlePerServer && socket.Available == 0) pool.Add(socket);
        else socket.Dispose();
    }
}
