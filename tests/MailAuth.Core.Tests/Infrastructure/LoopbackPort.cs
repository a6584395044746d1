using System.Net;
using System.Net.Sockets;

namespace MailAuth.Tests.Infrastructure;

/// <summary>Loopback TCP ports for the tests' HTTP stand-ins (SES, AWS credential endpoints).</summary>
public static class LoopbackPort
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now (the system picks it, then it is released).</summary>
    public static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// An HttpListener started on http://127.0.0.1:&lt;free port&gt;/. The port is free when it is picked but
    /// another process (the other test project, run alongside) can take it before the listener binds it,
    /// so a port found taken is replaced by another.
    /// </summary>
    public static HttpListener StartHttpListener(out int port)
    {
        for (int attempt = 1; ; attempt++)
        {
            port = FreeTcpPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }
}
