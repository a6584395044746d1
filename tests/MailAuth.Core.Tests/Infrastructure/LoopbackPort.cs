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
}
