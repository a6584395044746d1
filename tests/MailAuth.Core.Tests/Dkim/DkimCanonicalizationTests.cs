using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MailAuth.Dkim;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestSigning;

namespace MailAuth.Tests.Dkim;

/// <summary>
/// The run-based canonicalization (RFC 6376 §3.4) against a plain line-by-line, byte-by-byte transcription of the RFC
/// (the algorithm MailAuth used before), and against dkimpy's canonicalization where dkimpy follows the RFC (bodies whose
/// lines all end in CRLF). Staging buffers of a few bytes put the buffer's edge inside every whitespace run, CRLF and
/// l= cut; every l= from 0 to past the end is tried.
/// </summary>
public sealed class DkimCanonicalizationTests
{
    private static readonly int[] StagingSizes = { 1, 2, 3, 7, 8192 };

    public static IEnumerable<object[]> EdgeBodies() => new[]
    {
        "", "\r\n", "\r\n\r\n\r\n", "\n", "\n\n", " ", " \r\n", "\t\r\n \r\n",
        "a", "a\r\n", "a\n", "a\r", "a\r\r\n", "a\rb\r\n", "a \r \r\n", "\r",
        "a  b\r\n", "a\tb\r\n", "a \tb\r\n", "a\t b\r\n", "a \t \t b\r\n", " a\r\n", "  a\r\n", "\ta\r\n", " \ta\r\n",
        "a b c d\r\n", "a   \r\n", "a\t\r\n", "a \t\n", "a  ", "a \t", "a\r\n\r\n", "a\r\n \r\n\t\r\n", "a\r\n\r\nb\r\n",
        "a\r\n\r\n\r\nb", "a\n\nb\n\n", "a\r\n\nb\r\n", "line one\r\nline  two \r\n\r\n  line three\t\r\n\r\n\r\n",
        "x y\r\n\r\n \r\ny  z\r\n", "\r\n\r\na", " \r\n \r\n", "a\r\n \r\nb",
    }.Select(b => new object[] { b });

    [Theory]
    [MemberData(nameof(EdgeBodies))]
    public void Edge_case_bodies_hash_as_the_line_by_line_reference_does(string body)
    {
        var bytes = Encoding.Latin1.GetBytes(body);
        foreach (var relaxed in new[] { false, true })
            foreach (var staging in StagingSizes)
                AssertSameAsReference(bytes, relaxed, staging, null);
    }

    [Fact]
    public void Every_l_cut_hashes_as_the_reference_does_including_cuts_inside_a_line_and_inside_a_crlf()
    {
        var bytes = Encoding.Latin1.GetBytes("first  line \r\nsecond\tline\r\n\r\n third\r\nend");
        foreach (var relaxed in new[] { false, true })
        {
            long length = Reference(bytes, relaxed).Length;
            for (long limit = 0; limit <= length + 2; limit++)
                foreach (var staging in StagingSizes)
                    AssertSameAsReference(bytes, relaxed, staging, limit);
        }
    }

    [Fact]
    public void Random_bodies_of_whitespace_and_line_breaks_hash_as_the_reference_does()
    {
        var random = new Random(6376);
        const string alphabet = "ab  \t\t\r\n\r\n";
        int compared = 0;
        for (int n = 0; n < 3000; n++)
        {
            var body = new byte[random.Next(0, 48)];
            for (int k = 0; k < body.Length; k++) body[k] = (byte)alphabet[random.Next(alphabet.Length)];
            foreach (var relaxed in new[] { false, true })
            {
                long? limit = random.Next(3) == 0 ? random.Next(0, body.Length + 3) : null;
                AssertSameAsReference(body, relaxed, StagingSizes[random.Next(StagingSizes.Length)], limit);
                compared++;
            }
        }
        Assert.Equal(6000, compared);
    }

    [Fact]
    public void Long_runs_that_bypass_the_staging_buffer_hash_as_the_reference_does()
    {
        var sb = new StringBuilder();
        for (int k = 0; k < 300; k++) sb.Append("some words with single spaces only\r\n");
        sb.Append("then  a\tchange \r\n\r\n");
        for (int k = 0; k < 100; k++) sb.Append(new string('x', 1500)).Append(k % 2 == 0 ? "\r\n" : "\n");
        sb.Append("\r\n\r\n");
        var bytes = Encoding.Latin1.GetBytes(sb.ToString());
        foreach (var relaxed in new[] { false, true })
            foreach (var staging in new[] { 7, 8192 })
                foreach (var limit in new long?[] { null, 5000, 11111, 150000 })
                    AssertSameAsReference(bytes, relaxed, staging, limit);
    }

    /// <summary>dkimpy is an independent implementation; on bodies whose lines all end in CRLF it follows the RFC.</summary>
    [Fact]
    public void Crlf_bodies_hash_as_dkimpy_canonicalizes_them()
    {
        var random = new Random(8463);
        var bodies = new List<byte[]> { Array.Empty<byte>() };
        string[] pieces = { "a", "bc", " ", "  ", "\t", " \t ", "" };
        for (int n = 0; n < 400; n++)
        {
            var sb = new StringBuilder();
            int lines = random.Next(0, 6);
            for (int l = 0; l < lines; l++)
            {
                int count = random.Next(0, 6);
                for (int k = 0; k < count; k++) sb.Append(pieces[random.Next(pieces.Length)]);
                sb.Append("\r\n");
            }
            bodies.Add(Encoding.ASCII.GetBytes(sb.ToString()));
        }
        var input = Encoding.ASCII.GetBytes(string.Join("\n", bodies.Select(b => b.Length == 0 ? "-" : Convert.ToBase64String(b))) + "\n");
        foreach (var relaxed in new[] { false, true })
        {
            var dkimpy = Encoding.ASCII.GetString(RunTool("body-hash " + (relaxed ? "relaxed" : "simple"), input))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(bodies.Count, dkimpy.Length);
            for (int n = 0; n < bodies.Count; n++)
            {
                var writer = new DkimHashWriter(HashAlgorithmName.SHA256, 3);
                DkimCanonicalization.Body(bodies[n], 0, bodies[n].Length, relaxed, writer);
                Assert.True(dkimpy[n] == Convert.ToHexString(writer.Finish()).ToLowerInvariant(),
                    $"{(relaxed ? "relaxed" : "simple")} body \"{Escape(bodies[n])}\"");
            }
        }
    }

    public static IEnumerable<object[]> SignatureFields() => new[]
    {
        "DKIM-Signature: v=1; a=rsa-sha256; b=abc; bh=def; d=x.test; s=s; h=from\r\n",
        "DKIM-Signature: v=1; a=rsa-sha256; bh=def; d=x.test; s=s; h=from; b=abc\r\n",
        "DKIM-Signature: v=1; a=rsa-sha256; bh=def; d=x.test; s=s; h=from; b=abc;\r\n",
        "DKIM-Signature: v=1; a=rsa-sha256; bh=def; d=x.test; s=s; h=from;\r\n\tb=ab\r\n\t cd\r\n\t ef ; x=1\r\n",
        "DKIM-Signature: v=1; a=rsa-sha256; bh=def; d=x.test; s=s; h=from;\n\tb=ab\n\t cd\n ; x=1\n",
        "DKIM-Signature:b =abc;bh=def;v=1\r\n",
        "dkim-signature  : v=1;  b  =  abc  ;  bh = def\r\n",
    }.Select(f => new object[] { f });

    /// <summary>The header hash leaves out b='s value wherever it sits (§3.7), as the regular expression MailAuth used before did.</summary>
    [Theory]
    [MemberData(nameof(SignatureFields))]
    public void Signature_field_is_hashed_without_its_b_value(string field)
    {
        var message = DkimMessage.Parse(Encoding.Latin1.GetBytes(field + "\r\nbody\r\n"));
        var header = Assert.Single(message.Fields);
        Assert.True(DkimTagList.TryParse(header, out var tags, out var error), error);
        Assert.True(tags.TryGetValueRange("b", out int start, out int end));
        foreach (var relaxed in new[] { false, true })
        {
            var writer = new DkimHashWriter(HashAlgorithmName.SHA256, 2);
            DkimCanonicalization.Header(header, relaxed, writer, withCrLf: false, holeStart: start, holeEnd: end);
            var raw = header.Raw;
            int colon = raw.IndexOf(':');
            var withoutB = raw.Substring(0, colon + 1)
                + Regex.Replace(raw.Substring(colon + 1), @"(?<=^|;)([ \t\r\n]*b[ \t\r\n]*=)[^;]*", "$1");
            Assert.Equal(SHA256.HashData(Encoding.Latin1.GetBytes(ReferenceHeader(withoutB, relaxed))), writer.Finish());
        }
    }

    [Theory]
    [InlineData("Subject:  a \t b  \r\n", "subject:a b\r\n")]
    [InlineData("SUBJECT \t: folded\r\n  value\r\n", "subject:folded value\r\n")]
    [InlineData("X-Bare-Lf: one\n two\n", "x-bare-lf:one two\r\n")]
    [InlineData("X-Empty:\r\n", "x-empty:\r\n")]
    [InlineData("\u00C0-Name: v\r\n", "\u00E0-name:v\r\n")]
    public void Relaxed_header_field_is_lowercased_unfolded_and_compressed(string field, string canonical)
    {
        var message = DkimMessage.Parse(Encoding.Latin1.GetBytes(field + "\r\n"));
        var writer = new DkimHashWriter(HashAlgorithmName.SHA256, 3);
        DkimCanonicalization.Header(Assert.Single(message.Fields), relaxed: true, writer);
        Assert.Equal(SHA256.HashData(Encoding.Latin1.GetBytes(canonical)), writer.Finish());
    }

    /// <summary>Words, single and repeated SPs and HTABs and folds in every arrangement, with and without a hole (§3.7) anywhere in the value.</summary>
    [Fact]
    public void Random_relaxed_header_fields_hash_as_the_reference_does()
    {
        var random = new Random(5322);
        var pieces = new[] { "a", "bc", " ", " ", "  ", "\t", " \t", "\r\n ", "\r\n\t" };
        int compared = 0;
        for (int n = 0; n < 3000; n++)
        {
            var value = new StringBuilder();
            for (int k = random.Next(0, 12); k > 0; k--) value.Append(pieces[random.Next(pieces.Length)]);
            var field = "X-Test:" + value;
            var message = DkimMessage.Parse(Encoding.Latin1.GetBytes(field + "\r\n\r\nbody\r\n"));
            var header = Assert.Single(message.Fields);
            int valueStart = header.Colon + 1, holeStart = 0, holeEnd = 0;
            if (random.Next(2) == 0 && value.Length > 0)
            {
                holeStart = valueStart + random.Next(0, value.Length + 1);
                holeEnd = holeStart + random.Next(0, header.End - holeStart + 1);
                if (field[holeStart - 1] == '\r' || (holeEnd < field.Length && field[holeEnd - 1] == '\r')) continue; // a hole splits no line break
            }
            var writer = new DkimHashWriter(HashAlgorithmName.SHA256, StagingSizes[random.Next(StagingSizes.Length)]);
            DkimCanonicalization.Header(header, relaxed: true, writer, withCrLf: false, holeStart: holeStart, holeEnd: holeEnd);
            var withoutHole = field.Substring(0, holeStart == holeEnd ? field.Length : holeStart) + (holeStart == holeEnd ? "" : field.Substring(holeEnd));
            Assert.True(SHA256.HashData(Encoding.Latin1.GetBytes(ReferenceHeader(withoutHole, relaxed: true))).AsSpan().SequenceEqual(writer.Finish()),
                $"\"{field.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t")}\" hole {holeStart}-{holeEnd}");
            compared++;
        }
        Assert.True(compared > 2500, $"only {compared} fields compared");
    }

    [Fact]
    public void Simple_header_field_keeps_its_bytes_and_makes_bare_lf_folding_crlf()
    {
        var message = DkimMessage.Parse(Encoding.Latin1.GetBytes("Subject:  a \t b\n  c\r\n d\r\n\r\n"));
        var writer = new DkimHashWriter(HashAlgorithmName.SHA256, 3);
        DkimCanonicalization.Header(Assert.Single(message.Fields), relaxed: false, writer);
        Assert.Equal(SHA256.HashData(Encoding.Latin1.GetBytes("Subject:  a \t b\r\n  c\r\n d\r\n")), writer.Finish());
    }

    private static void AssertSameAsReference(byte[] body, bool relaxed, int staging, long? limit)
    {
        var canonical = Reference(body, relaxed);
        var hashed = limit.HasValue && limit.Value < canonical.Length ? canonical.AsSpan(0, (int)limit.Value).ToArray() : canonical;
        var writer = new DkimHashWriter(HashAlgorithmName.SHA256, staging);
        writer.Start(limit);
        long length = DkimCanonicalization.Body(body, 0, body.Length, relaxed, writer);
        var what = $"{(relaxed ? "relaxed" : "simple")} body \"{Escape(body)}\", staging {staging}, l={limit?.ToString() ?? "none"}";
        Assert.True(canonical.Length == length, $"{what}: canonical length {length}, expected {canonical.Length}");
        Assert.True(SHA256.HashData(hashed).AsSpan().SequenceEqual(writer.Finish()), what + ": hash differs");
    }

    /// <summary>RFC 6376 §3.4.3 and §3.4.4, line by line and byte by byte: a bare LF ends a line; a CR only right before LF.</summary>
    private static byte[] Reference(byte[] data, bool relaxed)
    {
        var output = new MemoryStream();
        int pendingEmpty = 0;
        bool emitted = false;
        int i = 0;
        while (i < data.Length)
        {
            int lf = Array.IndexOf(data, (byte)'\n', i);
            int lineEnd = lf < 0 ? data.Length : lf;
            int contentEnd = lf >= 0 && lineEnd > i && data[lineEnd - 1] == (byte)'\r' ? lineEnd - 1 : lineEnd;
            var line = new List<byte>();
            bool space = false;
            for (int j = i; j < contentEnd; j++)
            {
                byte b = data[j];
                if (relaxed && (b == (byte)' ' || b == (byte)'\t'))
                {
                    space = true;
                    continue;
                }
                if (space) line.Add((byte)' ');
                space = false;
                line.Add(b);
            }
            if (line.Count == 0) pendingEmpty++;
            else
            {
                for (; pendingEmpty > 0; pendingEmpty--) output.Write("\r\n"u8);
                output.Write(line.ToArray());
                output.Write("\r\n"u8);
                emitted = true;
            }
            if (lf < 0) break;
            i = lf + 1;
        }
        if (!relaxed && !emitted) output.Write("\r\n"u8);
        return output.ToArray();
    }

    /// <summary>§3.4.1 and §3.4.2 on a field held as text (folding line breaks CRLF), without the final CRLF.</summary>
    private static string ReferenceHeader(string raw, bool relaxed)
    {
        if (!relaxed) return raw;
        int colon = raw.IndexOf(':');
        var value = Regex.Replace(raw.Substring(colon + 1).Replace("\r\n", ""), "[ \t]+", " ").Trim(' ');
        return raw.Substring(0, colon).TrimEnd(' ', '\t').ToLowerInvariant() + ":" + value;
    }

    private static string Escape(byte[] body) => Encoding.Latin1.GetString(body).Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");
}
