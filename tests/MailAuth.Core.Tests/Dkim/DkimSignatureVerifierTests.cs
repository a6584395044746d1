using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.Tests.Infrastructure;
using MimeKit.Cryptography;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestSigning;

namespace MailAuth.Tests.Dkim;

/// <summary>
/// The verifier on messages really signed (MimeKit's DkimSigner, dkimpy) with the test keys, which the
/// real Knot server publishes (tests/data/zones/dkim.test.zone, dkim.amazonses.com.zone).
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class DkimSignatureVerifierTests
{
    private readonly KnotDnsServer _server;

    public DkimSignatureVerifierTests(KnotDnsServerFixture fixture) => _server = fixture.Server;

    private async Task<DkimSignatureResult[]> Verify(byte[] message, Func<DateTimeOffset> clock = null) =>
        (await new DkimSignatureVerifier(_server.CreateResolver(), clock).VerifyAsync(new MemoryStream(message))).ToArray();

    private async Task<DkimSignatureResult> VerifyOne(byte[] message) => Assert.Single(await Verify(message));

    [Theory]
    [InlineData("rsa2048.key", "rsa2048", DkimSignatureAlgorithm.RsaSha256, "relaxed/relaxed", "rsa", 2048)]
    [InlineData("rsa2048.key", "rsa2048", DkimSignatureAlgorithm.RsaSha256, "simple/simple", "rsa", 2048)]
    [InlineData("rsa2048.key", "rsa2048", DkimSignatureAlgorithm.RsaSha256, "relaxed/simple", "rsa", 2048)]
    [InlineData("rsa2048.key", "rsa2048", DkimSignatureAlgorithm.RsaSha256, "simple/relaxed", "rsa", 2048)]
    [InlineData("ed25519.key", "ed25519", DkimSignatureAlgorithm.Ed25519Sha256, "relaxed/relaxed", "ed25519", 256)]
    [InlineData("ed25519.key", "ed25519", DkimSignatureAlgorithm.Ed25519Sha256, "simple/simple", "ed25519", 256)]
    public async Task MimeKit_signed_message_passes(string key, string selector, DkimSignatureAlgorithm algorithm, string canon, string keyType, int bits)
    {
        foreach (var file in new[] { "plain.eml", "edge.eml", "emptybody.eml", "nofinalcrlf.eml" })
        {
            var signed = SignWithMimeKit(Message(file), key, "dkim.test", selector, algorithm, canon);
            var r = await VerifyOne(signed);
            Assert.True(r.Result == DkimResult.Pass, $"{file} {canon}: {r.Reason}");
            Assert.Equal((true, true), (r.BodyHashMatches, r.SignatureMatches));
            Assert.Equal((keyType, bits), (r.KeyType, r.KeySize));
            Assert.Equal(canon, r.Canonicalization);
            Assert.Equal(("dkim.test", selector), (r.Domain, r.Selector));
            Assert.Null(r.Reason);
        }
    }

    [Fact]
    public async Task Signature_tags_are_reported()
    {
        var signed = SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048", identity: "alice@dkim.test",
            timestamp: DateTimeOffset.UtcNow.AddMinutes(-5), expireAfter: TimeSpan.FromDays(7));
        var r = await VerifyOne(signed);
        Assert.Equal(DkimResult.Pass, r.Result);
        Assert.Equal("rsa-sha256", r.Algorithm);
        Assert.Equal(new[] { "From", "To", "Subject", "Date", "Message-ID" }, r.SignedHeaders.Select(h => h.ToLowerInvariant() == "message-id" ? "Message-ID" : char.ToUpperInvariant(h[0]) + h.Substring(1)));
        Assert.Equal("alice@dkim.test", r.Identity);
        Assert.NotNull(r.Timestamp);
        Assert.Equal(TimeSpan.FromDays(7), r.Expiration - r.Timestamp);
        Assert.False(string.IsNullOrEmpty(r.Signature));
        Assert.StartsWith("v=DKIM1", r.KeyRecord);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Signature_is_b_as_written_even_when_its_padding_bits_are_not_zero(bool nonzeroPaddingBits)
    {
        var text = Encoding.GetEncoding(28591).GetString(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048"));
        var b = System.Text.RegularExpressions.Regex.Match(text, @"[;\s]b=([^;]*?)(;|\r\n(?![ \t]))");
        var written = System.Text.RegularExpressions.Regex.Replace(b.Groups[1].Value, @"\s", "");
        Assert.EndsWith("==", written); // 256 bytes: the last character carries 4 bits the decoder ignores
        if (nonzeroPaddingBits)
        {
            int last = b.Groups[1].Index + b.Groups[1].Value.TrimEnd().LastIndexOf('=') - 2;
            Assert.Equal("==", text.Substring(last + 1, 2));
            text = text.Substring(0, last) + (char)(text[last] + 1) + text.Substring(last + 1);
            written = written.Substring(0, written.Length - 3) + (char)(written[written.Length - 3] + 1) + "==";
        }

        var r = await VerifyOne(Encoding.GetEncoding(28591).GetBytes(text));
        Assert.Equal(DkimResult.Pass, r.Result);
        Assert.Equal(written, r.Signature);
    }

    [Fact]
    public async Task Ses_key_through_cname_passes()
    {
        var signed = SignWithMimeKit(Message("plain.eml"), "ses.key", "dkim.test", "abcdefghijklmnopqrstuvwxyz234567");
        var r = await VerifyOne(signed);
        Assert.Equal(DkimResult.Pass, r.Result);
        Assert.Equal(2048, r.KeySize);
    }

    [Fact]
    public async Task Modified_body_fails_with_body_hash_mismatch_while_the_header_signature_still_matches()
    {
        var signed = SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var r = await VerifyOne(Replace(signed, "plain test message", "tampered test message"));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal((false, true), (r.BodyHashMatches, r.SignatureMatches));
        Assert.Contains("body hash mismatch", r.Reason);
    }

    [Fact]
    public async Task Modified_signed_header_fails_with_signature_mismatch()
    {
        var signed = SignWithMimeKit(Message("plain.eml"), "ed25519.key", "dkim.test", "ed25519", DkimSignatureAlgorithm.Ed25519Sha256);
        var r = await VerifyOne(Replace(signed, "Subject: Hello", "Subject: Hi"));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal((true, false), (r.BodyHashMatches, r.SignatureMatches));
        Assert.Contains("b=", r.Reason);
    }

    [Fact]
    public async Task Whitespace_changes_pass_relaxed_and_fail_simple()
    {
        foreach (var canon in new[] { "relaxed/relaxed", "simple/simple" })
        {
            var signed = SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048", canonicalization: canon);
            var changed = Replace(Replace(signed, "Subject: Hello", "Subject:   Hello  "), "This is a plain", "This  is a plain");
            var r = await VerifyOne(changed);
            Assert.Equal(canon == "relaxed/relaxed" ? DkimResult.Pass : DkimResult.Fail, r.Result);
        }
    }

    [Fact]
    public async Task Unsigned_header_added_later_still_passes()
    {
        var signed = SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var r = await VerifyOne(Encoding.ASCII.GetBytes("Received: from relay by mx; Mon, 23 Nov 2026 10:00:01 +0000\r\nX-Spam: no\r\n").Concat(signed).ToArray());
        Assert.Equal(DkimResult.Pass, r.Result);
    }

    [Fact]
    public async Task Rsa_1024_passes_with_a_weak_key_reason()
    {
        var r = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa1024.key", "dkim.test", "rsa1024"));
        Assert.Equal(DkimResult.Pass, r.Result);
        Assert.Equal(1024, r.KeySize);
        Assert.Contains("weak key", r.Reason);
    }

    [Fact]
    public async Task Rsa_512_is_permerror_weak_key()
    {
        var r = await VerifyOne(SignWithDkimpy(Message("plain.eml"), "rsa512.key", "dkim.test", "rsa512"));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Equal(512, r.KeySize);
        Assert.Contains("weak key", r.Reason);
        Assert.Null(r.SignatureMatches);
    }

    [Fact]
    public async Task Testing_key_passes_and_says_so()
    {
        var r = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "testing"));
        Assert.Equal(DkimResult.Pass, r.Result);
        Assert.True(r.Testing);
        Assert.Contains("t=y", r.Reason);
    }

    [Fact]
    public async Task Revoked_key_is_permerror()
    {
        var r = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "revoked"));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains("revoked", r.Reason);
        Assert.True(r.BodyHashMatches);
    }

    [Fact]
    public async Task Missing_key_is_permerror()
    {
        var r = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "nosuchselector"));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains("no key record", r.Reason);
    }

    [Fact]
    public async Task Bad_base64_key_is_permerror()
    {
        var r = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "badbase64"));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains("base64", r.Reason);
    }

    [Fact]
    public async Task Dns_failure_fetching_the_key_is_temperror()
    {
        var r = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "broken.test", "sel"));
        Assert.Equal(DkimResult.TempError, r.Result);
        Assert.Contains("ServerFailure", r.Reason);
    }

    [Fact]
    public async Task Key_type_mismatch_is_permerror()
    {
        var r = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "ed25519.key", "dkim.test", "rsa2048", DkimSignatureAlgorithm.Ed25519Sha256));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains("k=rsa", r.Reason);
    }

    [Fact]
    public async Task Expired_signature_is_permerror()
    {
        var signed = SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048",
            timestamp: DateTimeOffset.UtcNow.AddDays(-10), expireAfter: TimeSpan.FromDays(1));
        var r = await VerifyOne(signed);
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains("expired", r.Reason);
        Assert.Equal((true, true), (r.BodyHashMatches, r.SignatureMatches));
        // the same message judged at a time before x= passes
        var before = Assert.Single(await Verify(signed, () => DateTimeOffset.UtcNow.AddDays(-9.5)));
        Assert.Equal(DkimResult.Pass, before.Result);
    }

    [Fact]
    public async Task Rsa_sha1_verifies_but_is_flagged_and_not_accepted()
    {
        var r = await VerifyOne(SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048", "rsa-sha1"));
        Assert.Equal(DkimResult.Fail, r.Result);
        Assert.Equal((true, true), (r.BodyHashMatches, r.SignatureMatches));
        Assert.Contains("sha1", r.Reason);
    }

    [Fact]
    public async Task Sha1_only_key_rejects_sha256_signature()
    {
        var r = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "sha1only"));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains("h=sha1", r.Reason);
    }

    [Fact]
    public async Task Strict_key_rejects_identity_in_a_subdomain()
    {
        var ok = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "strict", identity: "alice@dkim.test"));
        Assert.Equal(DkimResult.Pass, ok.Result);
        var sub = await VerifyOne(SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "strict", identity: "alice@mail.dkim.test"));
        Assert.Equal(DkimResult.PermError, sub.Result);
        Assert.Contains("t=s", sub.Reason);
    }

    /// <summary>
    /// RFC 6376 §3.5: i= is dkim-quoted-printable (§2.11); "=40" is "@" and "=2E" is ".", decoded before i= is checked against d=.
    /// The jlong@messiah=2Eedu example, with a subdomain of the test domain in place of messiah.edu.
    /// </summary>
    [Theory]
    [InlineData("user=40dkim.test", "user@dkim.test")]
    [InlineData("jlong@messiah=2Edkim.test", "jlong@messiah.dkim.test")]
    [InlineData("=40dkim.test", "@dkim.test")]
    public async Task Quoted_printable_identity_is_decoded_and_verifies(string written, string decoded)
    {
        var signed = SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048", identity: written);
        Assert.Contains("i=" + written, Latin1(signed));
        // dkimpy signs these as written but, verifying, compares i= undecoded with d= and refuses them, so it is no oracle here.
        var r = await VerifyOne(signed);
        Assert.True(r.Result == DkimResult.Pass, r.Reason);
        Assert.Equal(decoded, r.Identity);
    }

    [Theory]
    [InlineData("i=jlong@messiah=2Eedu", "not d=dkim.test")]
    [InlineData("i=user=4", "not dkim-quoted-printable")]
    [InlineData("i=user=zzdkim.test", "not dkim-quoted-printable")]
    public async Task Identity_is_checked_after_decoding(string tag, string reason)
    {
        var message = Encoding.ASCII.GetBytes("DKIM-Signature: v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; " + tag + "; h=from; bh=AAAA; b=AAAA\r\n")
            .Concat(Message("plain.eml")).ToArray();
        var r = await VerifyOne(message);
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains(reason, r.Reason);
    }

    [Fact]
    public async Task Several_signatures_get_one_result_each_in_order()
    {
        var once = SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var twice = SignWithDkimpy(once, "ed25519.seed", "dkim.test", "ed25519", "ed25519-sha256");
        var thrice = SignWithDkimpy(twice, "rsa2048.key", "dkim.test", "revoked");
        var results = await Verify(thrice);
        Assert.Equal(new[] { "revoked", "ed25519", "rsa2048" }, results.Select(r => r.Selector));
        Assert.Equal(new[] { DkimResult.PermError, DkimResult.Pass, DkimResult.Pass }, results.Select(r => r.Result));
        Assert.Equal(new[] { 0, 1, 2 }, results.Select(r => r.Index));
    }

    [Fact]
    public async Task Body_length_limit_allows_appended_content_and_warns()
    {
        var signed = SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048", length: true);
        var appended = signed.Concat(Encoding.ASCII.GetBytes("Appended by a mailing list\r\n")).ToArray();
        var r = await VerifyOne(appended);
        Assert.Equal(DkimResult.Pass, r.Result);
        Assert.Equal(Message("plain.eml").Length - Latin1(Message("plain.eml")).IndexOf("\r\n\r\n") - 4, r.BodyLength);
        Assert.Contains("l=", r.Reason);
    }

    [Fact]
    public async Task Body_length_longer_than_the_body_is_permerror()
    {
        var signed = SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048", length: true);
        var r = await VerifyOne(Replace(signed, "\r\nThis is a plain test message.\r\n", "\r\n"));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains("l=", r.Reason);
    }

    [Fact]
    public async Task Message_without_signature_is_none()
    {
        var r = await VerifyOne(Message("plain.eml"));
        Assert.Equal(DkimResult.None, r.Result);
        Assert.Null(r.Domain);
    }

    [Theory]
    [InlineData("nofrom.eml", "no From")]
    [InlineData("twofrom.eml", "2 From")]
    public async Task Bad_from_is_permerror(string file, string reason)
    {
        // dkimpy signs whatever it is given; the verifier must refuse the message
        var signed = SignWithDkimpy(Message(file), "rsa2048.key", "dkim.test", "rsa2048", headers: "from:to:subject");
        var r = await VerifyOne(signed);
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains(reason, r.Reason);
        Assert.Equal("dkim.test", r.Domain);
    }

    [Fact]
    public async Task Broken_mime_and_8bit_junk_are_verified_as_bytes()
    {
        foreach (var file in new[] { "brokenmime.eml", "eightbit.eml", "barelf.eml" })
            foreach (var canon in new[] { "simple/simple", "relaxed/relaxed" })
            {
                var signed = SignWithDkimpy(Message(file), "rsa2048.key", "dkim.test", "rsa2048", canonicalization: canon, headers: "from:to:subject");
                var r = await VerifyOne(signed);
                Assert.True(r.Result == DkimResult.Pass, $"{file} {canon}: {r.Reason}");
            }
    }

    [Fact]
    public async Task Header_line_that_is_not_a_field_is_permerror()
    {
        var signed = SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var r = await VerifyOne(Replace(signed, "To: Bob", "this line has no colon\r\nTo: Bob"));
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains("not a header field", r.Reason);
    }

    [Fact]
    public async Task Fifty_megabyte_body_verifies_without_trouble()
    {
        var body = new StringBuilder();
        var line = new string('x', 998) + "\r\n";
        while (body.Length < 50 * 1024 * 1024) body.Append(line);
        var message = Encoding.ASCII.GetBytes("From: alice@dkim.test\r\nTo: bob@example.net\r\nSubject: big\r\n\r\n" + body);
        var signed = SignWithMimeKit(message, "rsa2048.key", "dkim.test", "rsa2048", canonicalization: "relaxed/relaxed", headers: new[] { "From", "To", "Subject" });
        Assert.Equal(DkimResult.Pass, (await VerifyOne(signed)).Result);
        signed[signed.Length - 10] = (byte)'y';
        var tampered = await VerifyOne(signed);
        Assert.Equal((DkimResult.Fail, false), (tampered.Result, tampered.BodyHashMatches));
    }

    public static TheoryData<string, string> MalformedSignatures()
    {
        var hugeH = "h=" + string.Join(":", Enumerable.Repeat("x-filler", 5000)) + ":from";
        return new TheoryData<string, string>
        {
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from:to; b=AAAA", "bh= is missing" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from:to; bh=AAAA", "b= is missing" },
            { "v=1; a=rsa-sha256; d=dkim.test; h=from:to; bh=AAAA; b=AAAA", "s= is missing" },
            { "a=rsa-sha256; d=dkim.test; s=rsa2048; h=from:to; bh=AAAA; b=AAAA", "v= is missing" },
            { "v=2; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from:to; bh=AAAA; b=AAAA", "v=2" },
            { "v=1; a=rsa-md5; d=dkim.test; s=rsa2048; h=from:to; bh=AAAA; b=AAAA", "rsa-md5" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from:to; bh=AAAA; b=!!not*base64!!", "b= is not valid base64" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from:to; bh=A; b=AAAA", "bh= is not valid base64" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=to:subject; bh=AAAA; b=AAAA", "does not include From" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; i=@example.org; h=from; bh=AAAA; b=AAAA", "not d=dkim.test" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; l=12x; h=from; bh=AAAA; b=AAAA", "l=12x" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; t=200; x=100; h=from; bh=AAAA; b=AAAA", "before t=" },
            { "v=1; a=rsa-sha256; c=loose/simple; d=dkim.test; s=rsa2048; h=from; bh=AAAA; b=AAAA", "c=loose/simple" },
            { "v=1; a=rsa-sha256; d=dkim.test; d=other.test; s=rsa2048; h=from; bh=AAAA; b=AAAA", "more than once" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from; bh=AAAA; b=AAAA; this is junk", "not a tag=value pair" },
            { "v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; " + hugeH + "; bh=AAAA; b=AAAA", "more than the 1000" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public async Task Malformed_signature_is_permerror_with_a_reason(string tags, string reason)
    {
        var message = Encoding.ASCII.GetBytes("DKIM-Signature: " + tags + "\r\n").Concat(Message("plain.eml")).ToArray();
        var r = await VerifyOne(message);
        Assert.Equal(DkimResult.PermError, r.Result);
        Assert.Contains(reason, r.Reason);
        Assert.Null(r.SignatureMatches);
    }

    /// <summary>
    /// A peer's 2026 regression (postalsys mailauth): the relaxed body hash (RFC 6376 §3.4.4) must not depend on how the body
    /// arrives. The same relaxed-signed bytes, read from a stream that hands out 1, 2, 3, ... 4096 bytes at a time, so that every
    /// whitespace run, CR/LF pair and trailing empty line is split at every position, verify every time.
    /// </summary>
    [Fact]
    public async Task Relaxed_body_hash_does_not_depend_on_the_chunks_the_message_arrives_in()
    {
        var body = new StringBuilder();
        for (int i = 0; i < 60; i++)
            body.Append("line ").Append(i).Append(" \t with  runs\t \t of   whitespace \r\n").Append(i % 7 == 0 ? " \t \r\n\r\n" : "");
        body.Append("last line   \t\r\n \r\n\t\r\n\r\n\r\n");
        var message = Encoding.ASCII.GetBytes("From: alice@dkim.test\r\nTo: bob@example.net\r\nSubject: chunks\r\n\r\n" + body);
        var signed = SignWithDkimpy(message, "rsa2048.key", "dkim.test", "rsa2048", canonicalization: "relaxed/relaxed");
        var resolver = KeyResolver("rsa2048");
        var verifier = new DkimSignatureVerifier(resolver);
        var failures = new System.Collections.Generic.List<int>();
        for (int chunk = 1; chunk <= 4096; chunk++)
        {
            var r = Assert.Single(await verifier.VerifyAsync(new ChunkedStream(signed, chunk)));
            if (r.Result != DkimResult.Pass || r.BodyHashMatches != true) failures.Add(chunk);
        }
        Assert.Empty(failures);
    }

    /// <summary>A read-only, unseekable stream that returns at most <c>chunk</c> bytes per read, as a socket might.</summary>
    private sealed class ChunkedStream : Stream
    {
        private readonly byte[] _data;
        private readonly int _chunk;
        private int _position;

        public ChunkedStream(byte[] data, int chunk) => (_data, _chunk) = (data, chunk);

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, _chunk), _data.Length - _position);
            Buffer.BlockCopy(_data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] WithSignatureCopies(byte[] signed, int copies)
    {
        var text = Latin1(signed);
        int end = text.IndexOf("\r\n", text.IndexOf("b=", text.IndexOf("DKIM-Signature:", StringComparison.Ordinal) + 20, StringComparison.Ordinal), StringComparison.Ordinal);
        while (end + 2 < text.Length && (text[end + 2] == ' ' || text[end + 2] == '\t')) end = text.IndexOf("\r\n", end + 2, StringComparison.Ordinal);
        var field = text.Substring(0, end + 2);
        Assert.StartsWith("DKIM-Signature:", field);
        return Encoding.Latin1.GetBytes(string.Concat(Enumerable.Repeat(field, copies - 1)) + text);
    }

    /// <summary>RFC 6376 §6.1 lets a verifier limit the signatures it checks; those past the limit are reported, not checked.</summary>
    [Fact]
    public async Task Signatures_past_the_limit_are_reported_as_not_checked()
    {
        var signed = WithSignatureCopies(SignWithDkimpy(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048"), 12);
        var resolver = KeyResolver("rsa2048");
        var results = await new DkimSignatureVerifier(resolver).VerifyAsync(signed);
        Assert.Equal(12, results.Count);
        Assert.Equal(Enumerable.Range(0, 12), results.Select(r => r.Index));
        Assert.All(results.Take(DkimSignatureVerifier.DefaultMaxSignatures), r => Assert.Equal(DkimResult.Pass, r.Result));
        Assert.All(results.Skip(DkimSignatureVerifier.DefaultMaxSignatures), r =>
        {
            Assert.Equal((DkimResult.Neutral, "dkim.test", "rsa2048"), (r.Result, r.Domain, r.Selector));
            Assert.Contains("not checked", r.Reason);
            Assert.Contains("RFC 6376 §6.1", r.Reason);
            Assert.Null(r.BodyHashMatches);
        });
        Assert.Equal(DkimSignatureVerifier.DefaultMaxSignatures, results.Count(r => r.Result == DkimResult.Pass));

        var three = await new DkimSignatureVerifier(resolver, null, null, maxSignatures: 3).VerifyAsync(signed);
        Assert.Equal(3, three.Count(r => r.Result == DkimResult.Pass));
        Assert.Equal(9, three.Count(r => r.Result == DkimResult.Neutral));
    }

    /// <summary>Keys of one message are asked for together: five slow key domains cost one wait, not five.</summary>
    [Fact]
    public async Task Keys_of_several_signatures_are_fetched_concurrently()
    {
        var message = Message("plain.eml");
        foreach (var selector in new[] { "k1", "k2", "k3", "k4", "k5" })
            message = SignWithDkimpy(message, "rsa2048.key", "dkim.test", selector);
        var zone = new InMemoryResolver();
        foreach (var selector in new[] { "k1", "k2", "k3", "k4", "k5" })
            zone.AddTxt(selector + "._domainkey.dkim.test", ZoneKeyRecord("rsa2048"));
        var slow = new CountingResolver(zone, TimeSpan.FromMilliseconds(300));
        var results = await new DkimSignatureVerifier(slow).VerifyAsync(message);
        Assert.All(results, r => Assert.Equal(DkimResult.Pass, r.Result));
        Assert.Equal(5, slow.Questions.Count);
        Assert.Equal(5, slow.MaxInFlight);
    }

    /// <summary>Signatures that share canonicalization, hash and l= share one body hash; each other combination gets its own.</summary>
    [Fact]
    public async Task Body_is_hashed_once_per_canonicalization_and_length()
    {
        var message = Message("plain.eml");
        message = SignWithDkimpy(message, "rsa2048.key", "dkim.test", "rsa2048", canonicalization: "relaxed/relaxed");
        message = SignWithDkimpy(message, "rsa2048.key", "dkim.test", "rsa2048", canonicalization: "simple/relaxed");
        message = SignWithDkimpy(message, "rsa2048.key", "dkim.test", "rsa2048", canonicalization: "relaxed/simple");
        message = SignWithDkimpy(message, "rsa2048.key", "dkim.test", "rsa2048", canonicalization: "relaxed/relaxed", length: true);
        message = WithSignatureCopies(message, 4);
        var parsed = DkimMessage.Parse(message);
        var results = await new DkimSignatureVerifier(KeyResolver("rsa2048")).VerifyAsync(parsed, default);
        Assert.Equal(7, results.Count);
        Assert.All(results, r => Assert.True(r.Result == DkimResult.Pass, r.Reason));
        // relaxed body without l=, simple body, relaxed body with l= (the top signature and its three copies share one)
        Assert.Equal(3, parsed.BodyHashCount);
    }

    [Fact]
    public async Task Keys_come_through_our_resolver_and_are_fetched_once_per_selector()
    {
        var resolver = KeyResolver("rsa2048");
        var once = SignWithMimeKit(Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var twice = SignWithMimeKit(once, "rsa2048.key", "dkim.test", "rsa2048", canonicalization: "simple/simple");
        var results = await new DkimSignatureVerifier(resolver).VerifyAsync(twice);
        Assert.All(results, r => Assert.Equal(DkimResult.Pass, r.Result));
        Assert.Equal(2, results.Count);
        Assert.Equal(1, resolver.QueryCount);
    }
}
