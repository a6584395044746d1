using System.Collections.Generic;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Dns;

public sealed class DnsWireFormatTests
{
    private static byte[] Query(ushort id, string name, DnsRecordType type)
    {
        Assert.True(DnsWireFormat.TryWriteQuery(name, type, out var query, out var error), error);
        DnsWireFormat.SetId(query, id);
        return query;
    }

    /// <summary>The query turned into a response header (QR set, one answer) followed by <paramref name="answer"/>, without the OPT record.</summary>
    private static byte[] Response(byte[] query, params byte[] answer)
    {
        var message = new List<byte>(query[..(query.Length - 11)]);
        message[2] |= 0x80;
        message[7] = 1;
        message[11] = 0;
        message.AddRange(answer);
        return message.ToArray();
    }

    [Fact]
    public void Query_carries_the_id_the_name_as_labels_and_an_edns_opt_record()
    {
        var q = Query(0xBEEF, "mx.test", DnsRecordType.MX);
        Assert.Equal(new byte[] { 0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1 }, q[..12]);
        Assert.Equal(new byte[] { 2, (byte)'m', (byte)'x', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 15, 0, 1 }, q[12..25]);
        Assert.Equal(new byte[] { 0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, 0, 0 }, q[25..]);
    }

    [Fact]
    public void Label_longer_than_63_octets_is_refused()
    {
        Assert.False(DnsWireFormat.TryWriteQuery(new string('a', 64) + ".test", DnsRecordType.TXT, out _, out var error));
        Assert.Contains("63", error);
    }

    [Fact]
    public void Response_must_echo_id_and_question()
    {
        var q = Query(7, "mx.test", DnsRecordType.MX);
        var r = Response(q);
        Assert.True(DnsWireFormat.IsResponseTo(r, r.Length, q));
        Assert.True(DnsWireFormat.IsResponseTo(r, r.Length, Query(7, "MX.Test", DnsRecordType.MX))); // RFC 4343: case does not matter
        Assert.False(DnsWireFormat.IsResponseTo(r, r.Length, Query(8, "mx.test", DnsRecordType.MX)));
        Assert.False(DnsWireFormat.IsResponseTo(r, r.Length, Query(7, "my.test", DnsRecordType.MX)));
        Assert.False(DnsWireFormat.IsResponseTo(r, r.Length, Query(7, "mx.test", DnsRecordType.TXT)));
        Assert.False(DnsWireFormat.IsResponseTo(q, q.Length, q)); // a question, not a response
        Assert.False(DnsWireFormat.IsResponseTo(r, 11, q)); // shorter than a header
    }

    [Fact]
    public void Compressed_names_are_followed()
    {
        // mx.test MX 10 mx1.<pointer to mx.test at 12>
        var q = Query(1, "mx.test", DnsRecordType.MX);
        var r = Response(q, 0xC0, 12, 0, 15, 0, 1, 0, 0, 1, 44, 0, 8, 0, 10, 3, (byte)'m', (byte)'x', (byte)'1', 0xC0, 12);
        var records = new List<DnsResourceRecord>();
        Assert.True(DnsWireFormat.TryReadAnswers(r, r.Length, DnsRecordType.MX, new Dictionary<string, string>(), records));
        var mx = Assert.Single(records);
        Assert.Equal("mx.test", mx.Name);
        Assert.Equal("mx1.mx.test", mx.Target);
        Assert.Equal(10, mx.Preference);
        Assert.Equal(300, mx.Ttl);
    }

    [Fact]
    public void Compression_pointer_loop_is_malformed_not_endless()
    {
        var q = Query(1, "mx.test", DnsRecordType.TXT);
        int self = q.Length - 11;
        var r = Response(q, (byte)(0xC0 | (self >> 8)), (byte)self, 0, 16, 0, 1, 0, 0, 0, 60, 0, 0);
        Assert.False(DnsWireFormat.TryReadAnswers(r, r.Length, DnsRecordType.TXT, new Dictionary<string, string>(), new List<DnsResourceRecord>()));
    }

    [Fact]
    public void Rdata_running_past_the_message_is_malformed()
    {
        var q = Query(1, "mx.test", DnsRecordType.TXT);
        var r = Response(q, 0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 200, 3, (byte)'a', (byte)'b', (byte)'c');
        Assert.False(DnsWireFormat.TryReadAnswers(r, r.Length, DnsRecordType.TXT, new Dictionary<string, string>(), new List<DnsResourceRecord>()));
    }
}
