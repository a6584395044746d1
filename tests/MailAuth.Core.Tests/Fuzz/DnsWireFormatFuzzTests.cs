using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CsCheck;
using MailAuth.Dns;
using Xunit;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// Fuzzing of the DNS wire-format reader (<see cref="DnsWireFormat"/>), of domain names as text
/// (<see cref="DomainName"/>) and of server addresses (<see cref="DnsServerEndpoint"/>): no input makes them
/// throw anything but their documented input error, and a name read off the wire is written back as the same octets. A bounded run by default (a few seconds); set MAILAUTH_FUZZ_ITERATIONS for a longer one.
/// </summary>
public sealed class DnsWireFormatFuzzTests
{
    private static long Iterations(long bounded) => FuzzRun.Iterations(bounded);

    private static readonly DnsRecordType[] Types = (DnsRecordType[])Enum.GetValues(typeof(DnsRecordType));

    /// <summary>A well-formed response: the query turned into an answer, then records of several types with compressed names.</summary>
    private static byte[] Response(string name, DnsRecordType type)
    {
        Assert.True(DnsWireFormat.TryWriteQuery(name, type, out var query, out _));
        var m = new List<byte>(query.Take(query.Length - 11));
        m[2] |= 0x80;
        m[7] = 4;
        m[11] = 0;
        void Rr(int rrType, params byte[] rdata)
        {
            m.AddRange(new byte[] { 0xC0, 12, (byte)(rrType >> 8), (byte)rrType, 0, 1, 0, 0, 1, 44, (byte)(rdata.Length >> 8), (byte)rdata.Length });
            m.AddRange(rdata);
        }
        Rr(5, 3, (byte)'w', (byte)'w', (byte)'w', 0xC0, 12);
        Rr(16, 5, (byte)'v', (byte)'=', (byte)'s', (byte)'p', (byte)'f', 2, 0xFF, 0xFE);
        Rr(15, 0, 10, 2, (byte)'m', (byte)'x', 0xC0, 12);
        Rr(1, 192, 0, 2, 1);
        return m.ToArray();
    }

    private static readonly Gen<byte[]> Mutated =
        Gen.Select(Gen.Int[0, Types.Length - 1], Gen.Int[0, 3].Array[1, 8], Gen.Int[0, 400].Array[1, 8], Gen.Byte.Array[1, 8], Gen.Int[0, 200])
            .Select((t, kinds, positions, values, cut) =>
            {
                var message = Response("mx.test", Types[t]);
                for (int k = 0; k < kinds.Length; k++)
                {
                    int at = positions[k % positions.Length] % message.Length;
                    switch (kinds[k])
                    {
                        case 0: message[at] = values[k % values.Length]; break;
                        case 1: message[at] ^= 0xC0; break; // a label length turned into a pointer, or back
                        case 2: message[at] = (byte)(message[at] + 1); break;
                        default: message = message.Take(Math.Max(0, message.Length - cut % (message.Length + 1))).ToArray(); break;
                    }
                    if (message.Length == 0) break;
                }
                return message;
            });

    private static void ReadEverything(byte[] message)
    {
        Assert.True(DnsWireFormat.TryWriteQuery("mx.test", DnsRecordType.MX, out var query, out _));
        DnsWireFormat.IsResponseTo(message, message.Length, query);
        DnsWireFormat.IsTruncated(message, message.Length);
        DnsWireFormat.ResponseCode(message, message.Length);
        foreach (var type in Types)
        {
            var cnames = new Dictionary<string, string>(StringComparer.Ordinal);
            var records = new List<DnsResourceRecord>();
            if (DnsWireFormat.TryReadAnswers(message, message.Length, type, cnames, records))
            {
                Assert.All(records, r => Assert.NotNull(r.Name));
                foreach (var target in cnames.Values.Concat(records.Select(r => r.Target)).Where(t => t != null))
                    Assert.True(DnsWireFormat.TryWriteQuery(target, DnsRecordType.TXT, out _, out var error) || target.Length == 0, error);
            }
        }
        for (int offset = 0; offset < message.Length; offset += 7)
        {
            int at = offset;
            DnsWireFormat.TryReadName(message, message.Length, ref at, out _);
        }
    }

    [Fact]
    public void Reader_never_throws_on_random_octets()
    {
        Gen.Byte.Array[0, 600].Sample(ReadEverything, iter: Iterations(10_000));
    }

    [Fact]
    public void Reader_never_throws_on_mutated_answers()
    {
        Mutated.Sample(ReadEverything, iter: Iterations(10_000));
    }

    /// <summary>Labels of any octets (RFC 2181 §11), up to the 255-octet limit of RFC 1035 §2.3.4.</summary>
    private static readonly Gen<byte[][]> WireLabels = Gen.Byte.Array[1, 63].Array[0, 6].Where(ls => ls.Sum(l => l.Length + 1) + 1 <= 255);

    [Fact]
    public void Names_read_off_the_wire_are_written_back_as_the_same_octets()
    {
        WireLabels.Sample(labels =>
        {
            var wire = new List<byte>();
            foreach (var l in labels)
            {
                wire.Add((byte)l.Length);
                wire.AddRange(l);
            }
            wire.Add(0);
            var data = wire.ToArray();
            int offset = 0;
            Assert.True(DnsWireFormat.TryReadName(data, data.Length, ref offset, out var text));
            Assert.Equal(data.Length, offset);

            Assert.True(DnsWireFormat.TryWriteQuery(text, DnsRecordType.TXT, out var query, out var error), error);
            var written = query.Skip(DnsWireFormat.HeaderLength).Take(data.Length).ToArray();
            Assert.Equal(data.Select(Lower), written.Select(Lower));
            Assert.Equal(text, DnsWireFormat.QuestionName(query));
        }, iter: Iterations(10_000));
    }

    private static byte Lower(byte b) => b >= 'A' && b <= 'Z' ? (byte)(b + 32) : b;

    /// <summary>Text made of what names are made of and what breaks them: dots, backslashes, digits, non-ASCII, lone surrogates.</summary>
    private static readonly Gen<string> NameText = Gen.String[Gen.OneOf(Gen.Char["abcXYZ09-_.\\ @:/"], Gen.Char['\u0080', '\uFFFF'], Gen.Const('\uD800')), 0, 300];

    [Fact]
    public void Names_as_text_never_make_the_writer_throw_and_write_back_the_same()
    {
        NameText.Sample(text =>
        {
            if (!DnsWireFormat.TryWriteQuery(text, DnsRecordType.A, out var query, out var error))
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                return;
            }
            var shown = DnsWireFormat.QuestionName(query);
            Assert.True(DnsWireFormat.TryWriteQuery(shown, DnsRecordType.A, out var again, out error), error);
            Assert.Equal(query.Select(Lower), again.Select(Lower)); // RFC 4343: shown in lower case
        }, iter: Iterations(10_000));
    }

    [Fact]
    public void Domain_name_input_never_throws_anything_but_its_input_error()
    {
        NameText.Sample(text =>
        {
            if (DomainName.TryNormalize(text, out var name, out var error))
            {
                Assert.True(DnsWireFormat.TryWriteQuery(name, DnsRecordType.TXT, out _, out error), error);
                Assert.Equal(name, DomainName.Normalize(name));
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                var thrown = Assert.Throws<MailAuth.Common.MailAuthInputException>(() => DomainName.Normalize(text));
                Assert.Equal(DomainName.InvalidDomainNameErrorId, thrown.ErrorId);
            }
        }, iter: Iterations(10_000));
    }

    /// <summary>
    /// Server addresses in the IPv6 forms (two colons or more, or brackets), which are parsed without a lookup:
    /// a result or <see cref="MailAuth.Common.MailAuthInputException"/>, nothing else.
    /// </summary>
    [Fact]
    public void Server_address_parsing_throws_only_its_input_error()
    {
        Gen.String[Gen.Char["0123456789abcdefABCDEF:[]%. x-"], 0, 60]
            .Where(t => t.Count(c => c == ':') >= 2 || t.TrimStart().StartsWith("[", StringComparison.Ordinal))
            .Sample(text =>
            {
                try
                {
                    var endpoint = DnsServerEndpoint.Parse(text);
                    Assert.InRange(endpoint.Port, 1, 65535);
                }
                catch (MailAuth.Common.MailAuthInputException ex)
                {
                    Assert.Equal(DnsServerEndpoint.InvalidServerAddressErrorId, ex.ErrorId);
                }
            }, iter: Iterations(10_000));
    }
}
