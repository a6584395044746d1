using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// What the HTTP stand-ins (SES, S3) share: an HttpListener on 127.0.0.1:&lt;free port&gt;, one loop that hands each
/// request to <see cref="Handle"/> (a failure there answers 500 through <see cref="Fail"/>), and a prompt stop.
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
