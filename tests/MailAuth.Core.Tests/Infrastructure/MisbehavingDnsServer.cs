using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// A DNS server on loopback (UDP and TCP on one port) that does what each test scripts: a function from the
/// question to a <see cref="DnsReply"/> (records, NXDOMAIN, truncation, garbage, another ID, another question,
/// a closed connection, silence). It builds its messages itself, octet by octet, so that it can send what no
/// real server would; it never uses the code under test. It counts every question it receives, by transport.
/// </summary>
public sealed class MisbehavingDnsServer : IDisposable
{
    private readonly Func<DnsQuestionSeen, DnsReply> _script;
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new CancellationTokenSource();
    private readonly ConcurrentQueue<DnsQuestionSeen> _asked = new ConcurrentQueue<DnsQuestionSeen>();
    private readonly ConcurrentBag<TcpClient> _connections = new ConcurrentBag<TcpClient>();
    private int _tcpConnections;

    public MisbehavingDnsServer(Func<DnsQuestionSeen, DnsReply> script)
    {
        _script = script;
        for (int attempt = 0; ; attempt++)
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_udp.Client.LocalEndPoint).Port;
            try
            {
                _tcp = new TcpListener(IPAddress.Loopback, Port);
                _tcp.Start();
                break;
            }
            catch (SocketException) when (attempt < 20)
            {
                _udp.Dispose();
            }
        }
        _ = Task.Run(UdpLoopAsync);
        _ = Task.Run(TcpLoopAsync);
    }

    public int Port { get; }
    public DnsServerEndpoint Endpoint => new DnsServerEndpoint(IPAddress.Loopback, Port);

    /// <summary>Every question received, in order of arrival.</summary>
    public IReadOnlyList<DnsQuestionSeen> Asked => _asked.ToList();

    /// <summary>How many questions arrived, over either transport.</summary>
    public int QuestionCount => _asked.Count;

    /// <summary>How many TCP connections were accepted.</summary>
    public int TcpConnections => Volatile.Read(ref _tcpConnections);

    private async Task UdpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try { received = await _udp.ReceiveAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            var question = DnsQuestionSeen.Parse(received.Buffer, overTcp: false);
            if (question == null) continue;
            _asked.Enqueue(question);
            var reply = _script(question) ?? DnsReply.Silence();
            if (reply.DelayMilliseconds > 0) await Task.Delay(reply.DelayMilliseconds);
            var message = reply.Build(question);
            if (message == null) continue;
            try { await _udp.SendAsync(message, message.Length, received.RemoteEndPoint); }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException) { }
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _tcp.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _tcpConnections);
            _connections.Add(client);
            _ = Task.Run(() => ServeConnectionAsync(client));
        }
    }

    /// <summary>Answers the questions of one connection in turn (RFC 1035 §4.2.2: each message after a two-octet length).</summary>
    private async Task ServeConnectionAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            int onConnection = 0;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var prefix = await ReadExactlyAsync(stream, 2);
                    if (prefix == null) return;
                    var body = await ReadExactlyAsync(stream, (prefix[0] << 8) | prefix[1]);
                    if (body == null) return;
                    var question = DnsQuestionSeen.Parse(body, overTcp: true, onConnection++);
                    if (question == null) return;
                    _asked.Enqueue(question);
                    var reply = _script(question) ?? DnsReply.Silence();
                    if (reply.DelayMilliseconds > 0) await Task.Delay(reply.DelayMilliseconds, _stop.Token);
                    if (reply.Kind == DnsReply.ReplyKind.Close) return;
                    var message = reply.Build(question);
                    if (message != null)
                    {
                        var framed = reply.RawTcpBytes ?? new byte[] { (byte)(message.Length >> 8), (byte)message.Length }.Concat(message).ToArray();
                        await stream.WriteAsync(framed, 0, framed.Length, _stop.Token);
                    }
                    if (reply.CloseAfter) return;
                }
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
            {
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await stream.ReadAsync(buffer, read, count - read, _stop.Token);
            if (n == 0) return null;
            read += n;
        }
        return buffer;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Stop();
        foreach (var c in _connections) c.Dispose();
    }
}

/// <summary>A question as the server received it: the QNAME's labels as octets, its text form, QTYPE, the ID, the transport.</summary>
public sealed class DnsQuestionSeen
{
    private DnsQuestionSeen(byte[] message, int questionEnd, IReadOnlyList<byte[]> labels, int type, bool overTcp, int indexOnConnection)
    {
        IndexOnConnection = indexOnConnection;
        Message = message;
        QuestionEnd = questionEnd;
        Labels = labels;
        Type = type;
        OverTcp = overTcp;
    }

    /// <summary>The whole query message.</summary>
    public byte[] Message { get; }

    /// <summary>The offset just past the question section.</summary>
    public int QuestionEnd { get; }

    public IReadOnlyList<byte[]> Labels { get; }
    public int Type { get; }
    public bool OverTcp { get; }

    /// <summary>TCP: 0 for the first question on its connection, 1 for the second, ...; UDP: 0.</summary>
    public int IndexOnConnection { get; }
    public ushort Id => (ushort)((Message[0] << 8) | Message[1]);

    /// <summary>The name with printable ASCII as is, lower case, and other octets as \DDD; labels joined with '.'.</summary>
    public string Name => string.Join(".", Labels.Select(l => string.Concat(l.Select(b => b > 0x20 && b < 0x7F && b != '.' && b != '\\' ? ((char)b).ToString().ToLowerInvariant() : "\\" + b.ToString("D3")))));

    public DnsRecordType RecordType => (DnsRecordType)Type;

    internal static DnsQuestionSeen Parse(byte[] message, bool overTcp, int indexOnConnection = 0)
    {
        if (message.Length < 12) return null;
        var labels = new List<byte[]>();
        int i = 12;
        while (i < message.Length && message[i] != 0)
        {
            int len = message[i++];
            if (len > 63 || i + len > message.Length) return null;
            labels.Add(message.Skip(i).Take(len).ToArray());
            i += len;
        }
        if (i + 5 > message.Length) return null;
        i++;
        int type = (message[i] << 8) | message[i + 1];
        return new DnsQuestionSeen(message, i + 4, labels, type, overTcp, indexOnConnection);
    }
}

/// <summary>What <see cref="MisbehavingDnsServer"/> sends back for one question.</summary>
public sealed class DnsReply
{
    public enum ReplyKind { Answer, Silence, Close, Garbage }

    private DnsReply(ReplyKind kind) => Kind = kind;

    public ReplyKind Kind { get; }
    public int Rcode { get; private set; }
    public bool Truncated { get; private set; }
    public IReadOnlyList<DnsRecordSpec> Records { get; private set; } = Array.Empty<DnsRecordSpec>();
    public byte[] GarbageBytes { get; private set; }
    public byte[][] QuestionOverride { get; private set; }
    public int DelayMilliseconds { get; private set; }

    /// <summary>TCP: close the connection after sending this answer.</summary>
    public bool CloseAfter { get; private set; }

    /// <summary>TCP: these octets instead of the framed message (a length that lies, a message cut short).</summary>
    public byte[] RawTcpBytes { get; private set; }

    public static DnsReply Answer(params DnsRecordSpec[] records) => new DnsReply(ReplyKind.Answer) { Records = records };
    public static DnsReply NxDomain() => new DnsReply(ReplyKind.Answer) { Rcode = 3 };
    public static DnsReply ServFail() => new DnsReply(ReplyKind.Answer) { Rcode = 2 };

    /// <summary>TC=1 with no records: the client must ask again over TCP (RFC 7766 §5).</summary>
    public static DnsReply Truncate() => new DnsReply(ReplyKind.Answer) { Truncated = true };

    /// <summary>No answer at all.</summary>
    public static DnsReply Silence() => new DnsReply(ReplyKind.Silence);

    /// <summary>TCP: close the connection without answering; UDP: no answer.</summary>
    public static DnsReply Close() => new DnsReply(ReplyKind.Close);

    /// <summary>These octets as the whole message (framed with their length on TCP).</summary>
    public static DnsReply Garbage(byte[] bytes) => new DnsReply(ReplyKind.Garbage) { GarbageBytes = bytes };

    /// <summary>The answer under another ID than the question's.</summary>
    public DnsReply WithAnotherId() { AnotherId = true; return this; }

    /// <summary>The answer echoes another question name.</summary>
    public DnsReply ForQuestion(string name) { QuestionOverride = DnsRecordSpec.Labels(name); return this; }
    /// <summary>Waits before answering.</summary>
    public DnsReply After(int milliseconds) { DelayMilliseconds = milliseconds; return this; }
    public DnsReply ThenClose() { CloseAfter = true; return this; }
    public DnsReply AsTcpBytes(byte[] raw) { RawTcpBytes = raw; return this; }

    private bool AnotherId { get; set; }

    /// <summary>The message this reply sends for <paramref name="q"/>, or null for none.</summary>
    public byte[] Build(DnsQuestionSeen q)
    {
        switch (Kind)
        {
            case ReplyKind.Silence:
            case ReplyKind.Close:
                return null;
            case ReplyKind.Garbage:
                return GarbageBytes;
        }
        var m = new List<byte>();
        ushort id = AnotherId ? (ushort)(q.Id ^ 0x5A5A) : q.Id;
        m.Add((byte)(id >> 8));
        m.Add((byte)id);
        m.Add((byte)(0x80 | 0x01 | (Truncated ? 0x02 : 0))); // QR, RD, TC
        m.Add((byte)(0x80 | Rcode)); // RA
        m.AddRange(new byte[] { 0, 1, (byte)(Records.Count >> 8), (byte)Records.Count, 0, 0, 0, 0 });
        if (QuestionOverride != null)
        {
            DnsRecordSpec.AppendName(m, QuestionOverride);
            m.Add((byte)(q.Type >> 8));
            m.Add((byte)q.Type);
            m.Add(0);
            m.Add(1);
        }
        else
        {
            m.AddRange(q.Message.Skip(12).Take(q.QuestionEnd - 12));
        }
        foreach (var r in Records) r.AppendTo(m);
        return m.ToArray();
    }
}

/// <summary>One resource record for <see cref="DnsReply.Answer"/>, names given as label octets so any octet can be sent.</summary>
public sealed class DnsRecordSpec
{
    private DnsRecordSpec(byte[][] owner, int type, byte[] rdata, uint ttl = 300)
    {
        Owner = owner;
        Type = type;
        Rdata = rdata;
        Ttl = ttl;
    }

    public byte[][] Owner { get; }
    public int Type { get; }
    public byte[] Rdata { get; }
    public uint Ttl { get; }

    /// <summary>Labels of a dotted ASCII name ("" is the root).</summary>
    public static byte[][] Labels(string name) =>
        name.Length == 0 ? Array.Empty<byte[]>() : name.TrimEnd('.').Split('.').Select(Encoding.ASCII.GetBytes).ToArray();

    public static DnsRecordSpec Txt(string owner, params string[] strings) => Txt(Labels(owner), strings.Select(Encoding.UTF8.GetBytes).ToArray());

    public static DnsRecordSpec Txt(byte[][] owner, params byte[][] strings)
    {
        var rdata = new List<byte>();
        foreach (var s in strings)
        {
            rdata.Add((byte)s.Length);
            rdata.AddRange(s);
        }
        return new DnsRecordSpec(owner, 16, rdata.ToArray());
    }

    public static DnsRecordSpec Cname(string owner, string target) => Cname(Labels(owner), Labels(target));

    public static DnsRecordSpec Cname(byte[][] owner, byte[][] target)
    {
        var rdata = new List<byte>();
        AppendName(rdata, target);
        return new DnsRecordSpec(owner, 5, rdata.ToArray());
    }

    public static DnsRecordSpec A(string owner, string address) => new DnsRecordSpec(Labels(owner), 1, IPAddress.Parse(address).GetAddressBytes());

    public static DnsRecordSpec Mx(string owner, int preference, string exchange) => Mx(Labels(owner), preference, Labels(exchange));

    public static DnsRecordSpec Mx(byte[][] owner, int preference, byte[][] exchange)
    {
        var rdata = new List<byte> { (byte)(preference >> 8), (byte)preference };
        AppendName(rdata, exchange);
        return new DnsRecordSpec(owner, 15, rdata.ToArray());
    }

    internal static void AppendName(List<byte> m, byte[][] labels)
    {
        foreach (var l in labels)
        {
            m.Add((byte)l.Length);
            m.AddRange(l);
        }
        m.Add(0);
    }

    internal void AppendTo(List<byte> m)
    {
        AppendName(m, Owner);
        m.AddRange(new[] { (byte)(Type >> 8), (byte)Type, (byte)0, (byte)1, (byte)(Ttl >> 24), (byte)(Ttl >> 16), (byte)(Ttl >> 8), (byte)Ttl });
        m.Add((byte)(Rdata.Length >> 8));
        m.Add((byte)Rdata.Length);
        m.AddRange(Rdata);
    }
}
