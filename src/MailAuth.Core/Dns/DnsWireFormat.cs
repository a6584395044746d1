using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace MailAuth.Dns;

/// <summary>
/// The DNS message format (RFC 1035 §4.1) for the UDP path of <see cref="DnsClientResolver"/>: writes one
/// recursive question with an EDNS(0) OPT record (RFC 6891 §6.1.2), and reads the answer section of a
/// response, keeping CNAMEs and the records of the asked type.
/// </summary>
internal static class DnsWireFormat
{
    /// <summary>The UDP payload size announced in the OPT record (DnsClient's default, so answers fit as before).</summary>
    public const int UdpPayloadSize = 4096;

    /// <summary>The largest query: header, a 255-octet name, type, class, the 11-octet OPT record.</summary>
    public const int MaxQueryLength = 12 + 255 + 4 + 11;

    private const int TypeOpt = 41;
    private const int ClassIn = 1;

    /// <summary>Writes a query for <paramref name="name"/> (lower case, no trailing dot) into <paramref name="buffer"/>; returns its length.</summary>
    /// <exception cref="ArgumentException">A label is empty or longer than 63 octets, or the name longer than 255 (RFC 1035 §2.3.4).</exception>
    public static int WriteQuery(byte[] buffer, ushort id, string name, DnsRecordType type)
    {
        int i = 0;
        WriteUInt16(buffer, ref i, id);
        WriteUInt16(buffer, ref i, 0x0100); // RD: ask for recursion (RFC 1035 §4.1.1)
        WriteUInt16(buffer, ref i, 1);      // QDCOUNT
        WriteUInt16(buffer, ref i, 0);      // ANCOUNT
        WriteUInt16(buffer, ref i, 0);      // NSCOUNT
        WriteUInt16(buffer, ref i, 1);      // ARCOUNT: the OPT record
        int nameStart = i;
        if (name.Length > 0)
        {
            foreach (var label in name.Split('.'))
            {
                int length = Encoding.UTF8.GetByteCount(label);
                if (length == 0 || length > 63) throw new ArgumentException($"\"{name}\" is not a valid DNS name: a label is empty or longer than 63 octets.", nameof(name));
                if (i - nameStart + 1 + length + 1 > 255) throw new ArgumentException($"\"{name}\" is longer than 255 octets.", nameof(name));
                buffer[i++] = (byte)length;
                i += Encoding.UTF8.GetBytes(label, 0, label.Length, buffer, i);
            }
        }
        buffer[i++] = 0;
        WriteUInt16(buffer, ref i, (ushort)type);
        WriteUInt16(buffer, ref i, ClassIn);
        buffer[i++] = 0; // OPT: root owner
        WriteUInt16(buffer, ref i, TypeOpt);
        WriteUInt16(buffer, ref i, UdpPayloadSize);
        WriteUInt16(buffer, ref i, 0); // extended RCODE, version 0
        WriteUInt16(buffer, ref i, 0); // no DO bit
        WriteUInt16(buffer, ref i, 0); // RDLENGTH
        return i;
    }

    /// <summary>
    /// Whether <paramref name="data"/> is the response to this question: QR set, the same ID, and the
    /// same question echoed back (RFC 5452 §4.2). Anything else is dropped and the wait goes on.
    /// </summary>
    public static bool IsResponseTo(byte[] data, int length, ushort id, string name, DnsRecordType type)
    {
        if (length < 12 || ReadUInt16(data, 0) != id || (data[2] & 0x80) == 0 || ReadUInt16(data, 4) != 1) return false;
        int i = 12;
        if (!TryReadName(data, length, ref i, out var owner) || i + 4 > length) return false;
        return string.Equals(owner, name, StringComparison.OrdinalIgnoreCase) && ReadUInt16(data, i) == (ushort)type && ReadUInt16(data, i + 2) == ClassIn;
    }

    /// <summary>The TC bit (RFC 1035 §4.1.1): the answer did not fit and must be asked again over TCP.</summary>
    public static bool IsTruncated(byte[] data) => (data[2] & 0x02) != 0;

    /// <summary>The RCODE of the header (RFC 1035 §4.1.1).</summary>
    public static int ResponseCode(byte[] data) => data[3] & 0x0F;

    /// <summary>
    /// Reads the answer section of a response already matched by <see cref="IsResponseTo"/>: CNAMEs into
    /// <paramref name="cnames"/> (owner to target) and records of <paramref name="type"/> into <paramref name="records"/>.
    /// Returns false when the message is malformed.
    /// </summary>
    public static bool TryReadAnswers(byte[] data, int length, DnsRecordType type, Dictionary<string, string> cnames, List<DnsResourceRecord> records)
    {
        int answers = ReadUInt16(data, 6);
        int i = 12;
        if (!TryReadName(data, length, ref i, out _)) return false;
        i += 4;
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
                if (!TryReadName(data, end, ref at, out var target)) return false;
                cnames[owner] = target;
                if (type == DnsRecordType.CNAME) records.Add(DnsResourceRecord.Cname(owner, target, ttl));
            }
            else if (rrType == type && !TryReadRecord(data, i, end, owner, type, ttl, records))
            {
                return false;
            }
            i = end;
        }
        return true;
    }

    private static bool TryReadRecord(byte[] data, int start, int end, string owner, DnsRecordType type, int ttl, List<DnsResourceRecord> records)
    {
        int at = start;
        string target;
        switch (type)
        {
            case DnsRecordType.TXT:
            case DnsRecordType.SPF:
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
                if (!TryReadName(data, end, ref at, out target)) return false;
                records.Add(DnsResourceRecord.Mx(owner, preference, target, ttl));
                return true;
            case DnsRecordType.PTR:
                if (!TryReadName(data, end, ref at, out target)) return false;
                records.Add(DnsResourceRecord.Ptr(owner, target, ttl));
                return true;
            case DnsRecordType.NS:
                if (!TryReadName(data, end, ref at, out target)) return false;
                records.Add(DnsResourceRecord.Ns(owner, target, ttl));
                return true;
            default:
                return true; // a type this library does not read (SOA is only ever asked to see that a name answers)
        }
    }

    /// <summary>
    /// Reads a domain name at <paramref name="offset"/>, following compression pointers (RFC 1035 §4.1.4);
    /// lower case, no trailing dot, the root as the empty string. <paramref name="limit"/> bounds the
    /// uncompressed part; pointers may point anywhere before it in the message.
    /// </summary>
    private static bool TryReadName(byte[] data, int limit, ref int offset, out string name)
    {
        name = null;
        var builder = new StringBuilder(64);
        int i = offset;
        int jumps = 0;
        int resume = -1;
        while (true)
        {
            if (i >= limit) return false;
            int len = data[i];
            if ((len & 0xC0) == 0xC0)
            {
                if (i + 1 >= limit || ++jumps > 64) return false;
                if (resume < 0) resume = i + 2;
                i = ((len & 0x3F) << 8) | data[i + 1];
                continue;
            }
            if ((len & 0xC0) != 0) return false;
            i++;
            if (len == 0) break;
            if (i + len > limit) return false;
            if (builder.Length > 0) builder.Append('.');
            builder.Append(Encoding.UTF8.GetString(data, i, len));
            i += len;
            if (builder.Length > 255) return false;
        }
        offset = resume >= 0 ? resume : i;
        name = builder.ToString().ToLowerInvariant();
        return true;
    }

    private static ushort ReadUInt16(byte[] data, int i) => (ushort)((data[i] << 8) | data[i + 1]);

    private static void WriteUInt16(byte[] buffer, ref int i, int value)
    {
        buffer[i++] = (byte)(value >> 8);
        buffer[i++] = (byte)value;
    }
}
