using System;
using System.Security.Cryptography;

namespace MailAuth.Dns;

/// <summary>
/// One question to one server over either transport and, once answered, the answer message: what
/// <see cref="DnsUdpTransport"/> and <see cref="DnsTcpTransport"/> share with <see cref="StubResolver"/>.
/// </summary>
internal sealed class DnsExchange
{
    private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create();

    /// <param name="query">The query message from <see cref="DnsWireFormat.TryWriteQuery"/>; each attempt gives it a new ID.</param>
    public DnsExchange(byte[] query) => Query = query;

    public byte[] Query { get; }

    /// <summary>The answer message, once <see cref="DnsTransportOutcome.Answered"/>.</summary>
    public byte[] Answer { get; private set; }

    public int AnswerLength { get; private set; }

    /// <summary>What went wrong, for <see cref="DnsTransportOutcome.Network"/> and <see cref="DnsTransportOutcome.Rejected"/>.</summary>
    public string ErrorMessage { get; set; }

    /// <summary>A copy of the query with a new random ID (RFC 5452 §9.2), so a late answer to an earlier attempt cannot match.</summary>
    public byte[] NewAttempt()
    {
        var message = (byte[])Query.Clone();
        var id = new byte[2];
        lock (Random) Random.GetBytes(id);
        message[0] = id[0];
        message[1] = id[1];
        return message;
    }

    internal void SetAnswer(byte[] buffer, int length)
    {
        Answer = new byte[length];
        Buffer.BlockCopy(buffer, 0, Answer, 0, length);
        AnswerLength = length;
    }
}

/// <summary>How one attempt of a question over one transport ended.</summary>
internal enum DnsTransportOutcome
{
    /// <summary>A message that answers the question is in <see cref="DnsExchange.Answer"/>.</summary>
    Answered,

    /// <summary>No answer before the deadline.</summary>
    Timeout,

    /// <summary>The server could not be reached, or the connection failed or was closed.</summary>
    Network,

    /// <summary>TCP: the server sent something that does not answer the question (another ID or question, or no DNS message).</summary>
    Rejected,
}
