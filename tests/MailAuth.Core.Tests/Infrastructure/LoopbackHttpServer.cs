using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// What the AWS stand-ins (SES, S3, Route 53) share: an HttpListener on 127.0.0.1:&lt;free port&gt;, one loop that hands
/// each request to <see cref="Handle"/> (a failure there answers 500 through <see cref="Fail"/>), a prompt stop, the
/// record of every request (<see cref="Requests"/>) and the SigV4 check of each.
/// </summary>
public abstract class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new CancellationTokenSource();
    private readonly Task _loop;

    protected LoopbackHttpServer()
    {
        _listener = LoopbackPort.StartHttpListener(out var port);
        Port = port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string EndpointUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Every request received, with whether its signature verified.</summary>
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new ConcurrentQueue<ReceivedRequest>();

    /// <summary>Reads a request's body and records the request under <paramref name="recordedPath"/> in <see cref="Requests"/>.</summary>
    protected ReceivedRequest Record(HttpListenerRequest request, string recordedPath, out byte[] body)
    {
        using (var ms = new MemoryStream()) { request.InputStream.CopyTo(ms); body = ms.ToArray(); }
        var received = new ReceivedRequest { Method = request.HttpMethod, Path = recordedPath, Body = Encoding.UTF8.GetString(body) };
        Requests.Enqueue(received);
        return received;
    }

    /// <summary>
    /// Checks the request's SigV4 signature for <paramref name="service"/> (<paramref name="regions"/>: the regions it may be
    /// signed for, null for any) against the test keys, notes the outcome in <paramref name="received"/>, and returns the
    /// problem, or null when it verified.
    /// </summary>
    protected static string Verify(HttpListenerRequest request, byte[] body, string service, IReadOnlyCollection<string> regions, ReceivedRequest received)
    {
        var problem = SigV4Verifier.Verify(request, body, service, regions, SesTestServer.KnownKeys, out var accessKey, out var signingRegion);
        received.AccessKey = accessKey;
        received.SigningRegion = signingRegion;
        received.SignatureValid = problem == null;
        received.SignatureProblem = problem;
        return problem;
    }

    /// <summary>Answers one request.</summary>
    protected abstract void Handle(HttpListenerContext ctx);

    /// <summary>Answers a request whose handling threw.</summary>
    protected abstract void Fail(HttpListenerContext ctx, Exception ex);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception) { return; }
            try { Handle(ctx); }
            catch (Exception ex) { Fail(ctx, ex); }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        // Linux's managed HttpListener can throw on Close while a request is still unanswered (the S3 stand-in's slow object).
        try { _listener.Stop(); _listener.Close(); } catch (ObjectDisposedException) { } catch (HttpListenerException) { }
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}

/// <summary>One request a stand-in received: what was asked, whether its signature verified, and the status answered.</summary>
public sealed class ReceivedRequest
{
    public string Method;
    public string Path;
    public string Body;
    public bool SignatureValid;
    public string SignatureProblem;
    public string AccessKey;
    public string SigningRegion;
    public int Status;
}
