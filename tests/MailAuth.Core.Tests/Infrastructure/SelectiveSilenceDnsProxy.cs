using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Dns;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// A UDP DNS proxy on loopback in front of a real server (the Knot fixture): it relays every question
/// and its answer unchanged, except questions for names containing <see cref="SilentLabel"/>, which it
/// never answers (a timeout). Lets a test show that one slow domain does not hold the others back.
/// It counts the questions it receives by name, so a test can see how often a name was really asked.
/// </summary>
public sealed class SelectiveSilenceDnsProxy : IDisposable
{
    private readonly UdpClient _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new CancellationTokenSource();

    /// <param name="upstream">The server to relay to.</param>
    /// <param name="silentLabel">Questions for names containing this are never answered; null: every question is relayed.</param>
    public SelectiveSilenceDnsProxy(IPEndPoint upstream, string silentLabel = null)
    {
        _upstream = upstream;
        SilentLabel = silentLabel?.ToLowerInvariant();
        _listener = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_listener.Client.LocalEndPoint).Port;
        _ = Task.Run(LoopAsync);
    }

    public string SilentLabel { get; }
    public int Port { get; }
    public string Address => $"127.0.0.1:{Port}";
    public DnsServerEndpoint Endpoint => new DnsServerEndpoint(IPAddress.Loopback, Port);

    /// <summary>How many questions were left unanswered.</summary>
    public int Silenced => _silenced;
    private int _silenced;

    private readonly ConcurrentDictionary<string, int> _asked = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>How many questions (of any type, relayed or not) arrived for <paramref name="name"/>.</summary>
    public int Asked(string name) => _asked.TryGetValue(name.TrimEnd('.').ToLowerInvariant(), out var n) ? n : 0;

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult query;
            try { query = await _listener.ReceiveAsync(_stop.Token); }
            catch (Exception) { return; }
            var name = QuestionName(query.Buffer);
            _asked.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (SilentLabel != null && name.Contains(SilentLabel, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _silenced);
                continue;
            }
            _ = RelayAsync(query);
        }
    }

    private async Task RelayAsync(UdpReceiveResult query)
    {
        try
        {
            using var upstream = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            await upstream.SendAsync(query.Buffer, query.Buffer.Length, _upstream);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var answer = await upstream.ReceiveAsync(timeout.Token);
            await _listener.SendAsync(answer.Buffer, answer.Buffer.Length, query.RemoteEndPoint);
        }
        catch (Exception)
        {
            // The client times out, as it would with a lost packet.
        }
    }

    /// <summary>The QNAME of a DNS message (RFC 1035 §4.1.2), lower-case, without compression (questions never use it).</summary>
    private static string QuestionName(byte[] message)
    {
        var sb = new StringBuilder();
        int i = 12;
        while (i < message.Length && message[i] != 0 && message[i] < 64)
        {
            int len = message[i++];
            if (i + len > message.Length) break;
            if (sb.Length > 0) sb.Append('.');
            sb.Append(Encoding.ASCII.GetString(message, i, len).ToLowerInvariant());
            i += len;
        }
        return sb.ToString();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }
}
