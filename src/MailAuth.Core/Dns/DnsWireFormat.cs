using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace MailAuth.Dns;

/// <summary>
/// The DNS message format (RFC 1035 §4.1), the same for UDP and TCP: writes one recursive question with an
/// EDNS(0) OPT record (RFC 6891 §6.1.2), checks that a message answers it, and reads the answer section,
/// keeping CNAMEs and the records of the asked type. The one mapping from the wire to <see cref="DnsResourceRecord"/>.
/// Names are read as octets and shown as <see cref="DomainName"/> describes (RFC 1035 §5.1 escapes).
/// No method throws for any content of a message; a malformed one reads as false.
/// </summary>
internal static class DnsWireFormat
{
    /// <summary>The UDP payload size announced in the OPT record (RFC 6891 §6.2.5), the size DnsClient.NET announces too.</summary>
    public const int UdpPayloadSize = 4096;

    /// <summary>The header (RFC 1035 §4.1.1).</summary>
    public const int HeaderLength = 12;

    private const int OptLength = 11;
    private const int TypeOpt = 41;
    private const int ClassIn = 1;

    /// <summary>
    /// The query for <paramref name="name"/> (RFC 1035 §5.1 text) and <paramref name="type"/>, with ID 0 (each
    /// attempt sets its own with <see cref="SetId"/>). False, with <paramref name="error"/>, for a name that cannot be sent.
    /// </summary>
    public static bool TryWriteQuery(string name, DnsRecordType type, out byte[] query, out string error)
    {
        query = null;
        var buffer = new byte[HeaderLength + 255 + 4 + OptLength];
        int i = 0;
        WriteUInt16(buffer, ref i, 0);
        WriteUInt16(buffer, ref i, 0x0100); // RD: ask for recursion (RFC 1035 §4.1.1)
        WriteUInt16(buffer, ref i, 1);      // QDCOUNT
        WriteUInt16(buffer, ref i, 0);      // ANCOUNT
        WriteUInt16(buffer, ref i, 0);      // NSCOUNT
        WriteUInt16(buffer, ref i, 1);      // ARCOUNT: the OPT record
        if (!DomainName.TryWriteWire(name, buffer, ref i, out error)) return false;
        WriteUInt16(buffer, ref i, (ushort)type);
        WriteUInt16(buffer, ref i, ClassIn);
        buffer[i++] = 0; // OPT: root owner
        WriteUInt16(buffer, ref i, TypeOpt);
        WriteUInt16(buffer, ref i, UdpPayloadSize);
        WriteUInt16(buffer, ref i, 0); // extended RCODE, version 0
        WriteUInt16(buffer, ref i, 0); // no DO bit
        WriteUInt16(buffer, ref i, 0); // RDLENGTH
        query = new byte[i];
        Buffer.BlockCopy(buffer, 0, query, 0, i);
        return true;
    }

    /// <summary>Sets the ID of a message (RFC 1035 §4.1.1).</summary>
    public static void SetId(byte[] message, ushort id)
    {
        message[0] = (byte)(id >> 8);
        message[1] = (byte)id;
    }

    /// <summary>The asked name of a query made by <see cref="TryWriteQuery"/>, as text.</summary>
    public static string QuestionName(byte[] query)
    {
        int i = HeaderLength;
        return TryReadName(query, query.Length, ref i, out var name) ? name : string.Empty;
    }

    /// <summary>
    /// Whether <paramref name="data"/> answers <paramref name="query"/>: QR set, the same ID, one question, and
    /// that question the asked one, octet for octet except the case of ASCII letters (RFC 5452 §4.2, RFC 4343 §3;
    /// RFC 7766 §7 asks the same of TCP). Nothing precedes the question, so it cannot be compressed.
    /// </summary>
    public static bool IsResponseTo(byte[] data, int length, byte[] query)
    {
        int question = query.Length - OptLength - HeaderLength;
        if (length < HeaderLength + question || length > data.Length) return false;
        if (data[0] != query[0] || data[1] != query[1] || (data[2] & 0x80) == 0 || ReadUInt16(data, 4) != 1) return false;
        for (int k = HeaderLength; k < HeaderLength + question; k++)
        {
            if (data[k] != query[k] && ToLower(data[k]) != ToLower(query[k])) return false;
        }
        return true;
    }

    private static byte ToLower(byte b) => b >= 'A' && b <= 'Z' ? (byte)(b + 32) : b;

    /// <summary>The TC bit (RFC 1035 §4.1.1): the answer did not fit and must be asked again over TCP.</summary>
    public static bool IsTruncated(byte[] data, int length) => length > 2 && (data[2] & 0x02) != 0;

    /// <summary>The RCODE of the header (RFC 1035 §4.1.1); -1 for a message too short to have one.</summary>
    public static int ResponseCode(byte[] data, int length) => length > 3 ? data[3] & 0x0F : -1;

    /// <summary>
    /// Reads the answer section: CNAMEs into <paramref name="cnames"/> (owner to target) and records of
    /// <paramref name="type"/> into <paramref name="records"/>. Returns false when the message is malformed:
    /// shorter than its counts say, a name that runs past the end or loops, RDATA that does not fit its type.
    /// </summary>
    public static bool TryReadAnswers(byte[] data, int length, DnsRecordType type, Dictionary<string, string> cnames, List<DnsResourceRecord> records)
    {
        if (length < HeaderLength || length > data.Length) return false;
        int questions = ReadUInt16(data, 4);
        int answers = ReadUInt16(data, 6);
        int i = HeaderLength;
        for (int q = 0; q < questions; q++)
        {
            if (!TryReadName(data, length, ref i, out _) || i + 4 > length) return false;
            i += 4;
        }
        for (int n = 0; n < answers; n++)
        {
            if (!TryReadName(data, length, ref i, out var owner) || i + 10 > length) return false;
            var rrType = (DnsRecordType)ReadUInt16(data, i);
            int ttl = (int)Math.Min(int.MaxValue, ((uint)ReadUInt16(data, i + 4) << 16) | ReadUInt16(data, i + 6));
            int rdLength = ReadUInt16(data, i + 8);
            i += 10;
            int end = i + rdLength;
            if (end > length) return false;
            if (rrType == DnsRecordType.CNAME)
            {
                int at = i;
                if (!TryReadName(data, end, ref at, out var target, length)) return false;
                cnames[owner] = target;
                if (type == DnsRecordType.CNAME) records.Add(DnsResourceRecord.Cname(owner, target, ttl));
            }
            else if (rrType == type && !TryReadRecord(data, i, end, length, owner, type, ttl, records))
            {
                return false;
            }
            i = end;
        }
        return true;
    }

    private static bool TryReadRecord(byte[] data, int start, int end, int length, string owner, DnsRecordType type, int ttl, List<DnsResourceRecord> records)
    {
        int at = start;
        string target;
        switch (type)
        {
            case DnsRecordType.TXT:
            case DnsRecordType.SPF:
                // RFC 1035 §3.3.14: one or more <character-string>s; octets that are not UTF-8 read as U+FFFD.
                var strings = new List<string>();
                while (at < end)
                {
                    int len = data[at++];
                    if (at + len > end) return false;
                    strings.Add(Encoding.UTF8.GetString(data, at, len));
                    at += len;
                }
                records.Add(type == DnsRecordType.TXT ? DnsResourceRecord.Txt(owner, strings, ttl) : DnsResourceRecord.Spf(owner, strings, ttl));
                return true;
            case DnsRecordType.A:
            case DnsRecordType.AAAA:
                int size = type == DnsRecordType.A ? 4 : 16;
                if (end - start != size) return false;
                var bytes = new byte[size];
                Buffer.BlockCopy(data, start, bytes, 0, size);
                records.Add(DnsResourceRecord.Address4Or6(owner, new IPAddress(bytes), ttl));
                return true;
            case DnsRecordType.MX:
                if (end - start < 3) return false;
                int preference = ReadUInt16(data, start);
                at += 2;
                if (!TryReadName(data, end, ref at, out target, length)) return false;
                records.Add(DnsResourceRecord.Mx(owner, preference, target, ttl));
                return true;
            case DnsRecordType.PTR:
                if (!TryReadName(data, end, ref at, out target, length)) return false;
                records.Add(DnsResourceRecord.Ptr(owner, target, ttl));
                return true;
            case DnsRecordType.NS:
                if (!TryReadName(data, end, ref at, out target, length)) return false;
                records.Add(DnsResourceRecord.Ns(owner, target, ttl));
                return true;
            default:
                return true; // a type this library does not read (SOA is only ever asked to see that a name answers)
        }
    }

    /// <summary>
    /// Reads a domain name at <paramref name="offset"/>, following compression pointers (RFC 1035 §4.1.4), as
    /// text (see <see cref="DomainName"/>): no trailing dot, the root as the empty string. The labels before
    /// the first pointer must end before <paramref name="limit"/>; a pointer may lead anywhere before
    /// <paramref name="messageLength"/> (default: <paramref name="limit"/>). At most 255 octets (RFC 1035 §2.3.4).
    /// </summary>
    internal static bool TryReadName(byte[] data, int limit, ref int offset, out string name, int messageLength = -1)
    {
        name = null;
        if (messageLength < 0) messageLength = limit;
        var text = new StringBuilder(64);
        int i = offset;
        int bound = limit;
        int jumps = 0;
        int resume = -1;
        int octets = 1;
        while (true)
        {
            if (i < 0 || i >= bound) return false;
            int len = data[i];
            if ((len & 0xC0) == 0xC0)
            {
                if (i + 1 >= bound || ++jumps > 64) return false;
                if (resume < 0) resume = i + 2;
                i = ((len & 0x3F) << 8) | data[i + 1];
                bound = messageLength;
                continue;
            }
            if ((len & 0xC0) != 0) return false;
            i++;
            if (len == 0) break;
            if (i + len > bound) return false;
            octets += len + 1;
            if (octets > 255) return false;
            if (text.Length > 0) text.Append('.');
            DomainName.AppendLabel(text, data, i, len);
            i += len;
        }
        offset = resume >= 0 ? resume : i;
        name = text.ToString();
        return true;
    }

    private static ushort ReadUInt16(byte[] data, int i) => (ushort)((data[i] << 8) | data[i + 1]);

    private static void WriteUInt16(byte[] buffer, ref int i, int value)
    {
        buffer[i++] = (byte)(value >> 8);
        buffer[i++] = (byte)value;
    }
}
