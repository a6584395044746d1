using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns;

/// <summary>
/// Asks one question over UDP (RFC 1035 §4.2.1) on a socket taken from a per-server pool of connected
/// sockets, instead of opening and closing a socket for every question (which costs more CPU than the
/// server spends answering). One question at a time per socket; a socket whose question timed out, failed
/// or was cancelled is closed, never reused, so a late answer cannot meet the next question. Each attempt
/// has a random ID and only a message that echoes the ID and the question is taken (RFC 5452 §4.2); anything
/// else is dropped and the wait goes on, since over UDP anyone can send it. A connected socket only receives
/// from its server.
/// </summary>
internal static class DnsUdpTransport
{
    /// <summary>Idle sockets kept per server; more concurrent questions open sockets that are closed after use.</summary>
    private const int MaxIdlePerServer = 256;

    /// <summary>
    /// Questions one socket asks before it is closed: a reused source port is easier for an off-path attacker
    /// to aim forged answers at (RFC 5452 §9.2), so each port serves a bounded number of questions.
    /// </summary>
    private const int MaxQuestionsPerSocket = 64;

    private static readonly ConcurrentDictionary<IPEndPoint, ConcurrentBag<PooledSocket>> Pools = new ConcurrentDictionary<IPEndPoint, ConcurrentBag<PooledSocket>>();

    /// <summary>
    /// Sends the question and waits up to <paramref name="timeout"/> for its answer, which is left in
    /// <paramref name="exchange"/>. Throws only <see cref="OperationCanceledException"/> (for <paramref name="cancellationToken"/>).
    /// </summary>
    public static async Task<DnsTransportOutcome> AskAsync(IPEndPoint server, DnsExchange exchange, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PooledSocket socket = null;
        bool reusable = false;
        try
        {
            socket = Rent(server);
            var query = exchange.NewAttempt();
            var deadline = new DnsDeadline(timeout);
            await socket.Socket.SendAsync(new ArraySegment<byte>(query), SocketFlags.None).ConfigureAwait(false);
            while (true)
            {
                var receive = socket.Socket.ReceiveAsync(new ArraySegment<byte>(socket.Answer), SocketFlags.None);
                if (!await deadline.WaitAsync(receive, cancellationToken).ConfigureAwait(false)) return DnsTransportOutcome.Timeout;
                int length = await receive.ConfigureAwait(false);
                if (!DnsWireFormat.IsResponseTo(socket.Answer, length, query)) continue;
                exchange.SetAnswer(socket.Answer, length);
                reusable = true;
                return DnsTransportOutcome.Answered;
            }
        }
        catch (SocketException ex)
        {
            exchange.ErrorMessage = $"{server}: {ex.Message}";
            return DnsTransportOutcome.Network;
        }
        finally
        {
            if (socket != null)
            {
                if (reusable) Return(server, socket);
                else socket.Socket.Dispose(); // also ends a receive still pending
            }
        }
    }

    private static PooledSocket Rent(IPEndPoint server)
    {
        if (Pools.TryGetValue(server, out var pool) && pool.TryTake(out var socket)) return socket;
        var created = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            created.Connect(server);
        }
        catch
        {
            created.Dispose();
            throw;
        }
        return new PooledSocket(created);
    }

    private static void Return(IPEndPoint server, PooledSocket socket)
    {
        var pool = Pools.GetOrAdd(server, _ => new ConcurrentBag<PooledSocket>());
        if (++socket.Questions < MaxQuestionsPerSocket && pool.Count < MaxIdlePerServer) pool.Add(socket);
        else socket.Socket.Dispose();
    }

    /// <summary>A connected socket with its own answer buffer.</summary>
    private sealed class PooledSocket
    {
        public PooledSocket(Socket socket) => Socket = socket;
        public Socket Socket { get; }
        public int Questions { get; set; }
        public byte[] Answer { get; } = new byte[DnsWireFormat.UdpPayloadSize];
    }
}
