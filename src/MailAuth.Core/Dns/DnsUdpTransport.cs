using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Dns;

/// <summary>
/// Asks one question over UDP (RFC 1035 §4.2.1) on a socket taken from a per-server pool of connected
/// sockets, instead of opening and closing a socket for every question (DnsClient 1.8's way, which costs
/// more CPU than the server spends answering). One question at a time per socket; a socket whose question
/// timed out, failed or was cancelled is closed, never reused, so a late answer cannot meet the next
/// question. Each question has a random ID and the answer must echo the ID and the question (RFC 5452 §4);
/// a connected socket only receives from its server.
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
    private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create();

    /// <summary>How a question over UDP ended.</summary>
    public enum Outcome { Answered, Timeout, Network }

    /// <summary>
    /// Sends the question and waits up to <paramref name="timeout"/> for its answer, which is left in
    /// <paramref name="exchange"/>. Throws only <see cref="OperationCanceledException"/> (for
    /// <paramref name="cancellationToken"/>) and <see cref="ArgumentException"/> (a name that cannot be sent).
    /// </summary>
    public static async Task<Outcome> AskAsync(IPEndPoint server, Exchange exchange, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var socket = Rent(server);
        bool reusable = false;
        try
        {
            var id = NextId();
            int queryLength = DnsWireFormat.WriteQuery(socket.Query, id, exchange.Name, exchange.Type);
            await socket.Socket.SendAsync(new ArraySegment<byte>(socket.Query, 0, queryLength), SocketFlags.None).ConfigureAwait(false);

            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                var receive = socket.Socket.ReceiveAsync(new ArraySegment<byte>(socket.Answer), SocketFlags.None);
                if (!receive.IsCompleted)
                {
                    var remaining = deadline - DateTime.UtcNow;
                    Task first;
                    using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        first = remaining > TimeSpan.Zero ? await Task.WhenAny(receive, Task.Delay(remaining, wait.Token)).ConfigureAwait(false) : null;
                        wait.Cancel(); // stops the delay's timer
                    }
                    if (first != receive)
                    {
                        // The socket is closed below, which ends this receive with an exception nobody awaits.
                        _ = receive.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        cancellationToken.ThrowIfCancellationRequested();
                        return Outcome.Timeout;
                    }
                }
                int length = await receive.ConfigureAwait(false);
                if (!DnsWireFormat.IsResponseTo(socket.Answer, length, id, exchange.Name, exchange.Type)) continue;
                exchange.SetAnswer(socket.Answer, length);
                reusable = true;
                return Outcome.Answered;
            }
        }
        catch (SocketException ex)
        {
            exchange.ErrorMessage = ex.Message;
            return Outcome.Network;
        }
        finally
        {
            if (reusable) Return(server, socket);
            else socket.Socket.Dispose(); // also ends a receive still pending
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

    private static ushort NextId()
    {
        var bytes = new byte[2];
        lock (Random) Random.GetBytes(bytes);
        return (ushort)((bytes[0] << 8) | bytes[1]);
    }

    /// <summary>A connected socket with its own query and answer buffers.</summary>
    private sealed class PooledSocket
    {
        public PooledSocket(Socket socket) => Socket = socket;
        public Socket Socket { get; }
        public int Questions { get; set; }
        public byte[] Query { get; } = new byte[DnsWireFormat.MaxQueryLength];
        public byte[] Answer { get; } = new byte[DnsWireFormat.UdpPayloadSize];
    }

    /// <summary>One question and, once answered, a copy of the answer message.</summary>
    public sealed class Exchange
    {
        public Exchange(string name, DnsRecordType type)
        {
            Name = name;
            Type = type;
        }

        public string Name { get; }
        public DnsRecordType Type { get; }
        public byte[] Answer { get; private set; }
        public int AnswerLength { get; private set; }
        public string ErrorMessage { get; set; }

        internal void SetAnswer(byte[] buffer, int length)
        {
            Answer = new byte[length];
            Buffer.BlockCopy(buffer, 0, Answer, 0, length);
            AnswerLength = length;
        }
    }
}
