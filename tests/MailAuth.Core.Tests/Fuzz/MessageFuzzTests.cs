using System.IO;
using System.Linq;
using System.Text;
using CsCheck;
using MailAuth.AuthenticationResults;
using MailAuth.Dkim;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// Messages and the header fields read from them under fuzzing: the header splitter (RFC 5322 §2.1), DKIM and
/// ARC signature tags (RFC 6376 §3.5, RFC 8617 §4.1.2), Authentication-Results, ARC-Authentication-Results and
/// Received-SPF values (RFC 8601 §2.2, RFC 8617 §4.1.1, RFC 7208 §9.1), and the reader that finds them.
/// </summary>
public sealed class MessageFuzzTests
{
    private static readonly byte[][] Samples =
        new[] { RepositoryPaths.DataFile("authres", "messages", "gmail-received.eml"), RepositoryPaths.DataFile("authres", "messages", "ses-unsigned.eml") }
            .Concat(Directory.EnumerateFiles(RepositoryPaths.DataFile("dkim", "messages"), "*.eml").OrderBy(f => f, System.StringComparer.Ordinal))
            .Select(File.ReadAllBytes).ToArray();

    private static readonly string[] SignatureTokens =
    {
        "v=1", "a=rsa-sha256", "a=ed25519-sha256", "a=rsa-sha1", "a=", "c=relaxed/relaxed", "c=simple", "c=relaxed/", "c=/", "d=example.com", "d=",
        "s=sel", "s=", "i=@example.com", "i=user@sub.example.com", "i=1", "i=0", "i=99999999999", "h=from:to:subject", "h=", "h=from::", "l=0", "l=-1",
        "l=99999999999999999999", "t=1700000000", "t=", "x=1", "x=99999999999999999999", "q=dns/txt", "z=From:a|To:b", "bh=", "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        "b=", "b=dGVzdA==", "b=!!!", "=", ";", "cv=pass", "cv=none"
    };

    private static readonly string[] ResultsTokens =
    {
        "mx.example.com", "mx.example.com 1", "i=1", "i=", "none", "spf=pass", "dkim=fail", "dmarc=bestguesspass", "arc=pass", "auth=pass",
        "smtp.mailfrom=user@example.com", "header.d=example.com", "header.b=abcdefgh", "header.from=\"a b\"@example.com", "policy.dmarc=reject",
        "reason=\"bad sig\"", "reason=", "(comment)", "(nested (comment))", "(unclosed", "\"quoted", "\\", "/1", "=", ";", ".", "@",
        "pass", "fail", "softfail", "receiver=mx.example.com", "client-ip=192.0.2.1", "client-ip=2001:db8::1", "envelope-from=\"a@b\"", "helo=x"
    };

    private static readonly string[] FieldNames = { "DKIM-Signature", "ARC-Message-Signature", "ARC-Seal", "Authentication-Results", "ARC-Authentication-Results", "Received-SPF" };

    /// <summary>A message of random fields, some of them the ones MailAuth reads, with random values.</summary>
    private static readonly Gen<byte[]> Built =
        Gen.Select(Gen.OneOf(Gen.OneOfConst(FieldNames), FuzzRun.Noise).Array[0, 8], FuzzRun.AnyText(SignatureTokens.Concat(ResultsTokens).ToArray(), "; ", ";", " ", "\r\n\t", "\n "),
                Gen.OneOfConst(": ", ":", " :", "", "\r\n"), Gen.OneOfConst("\r\n", "\n", "\r", ""))
            .Select((names, value, colon, eol) => Encoding.UTF8.GetBytes(string.Concat(names.Select(n => n + colon + value + eol)) + eol + "body" + eol));

    private static readonly Gen<byte[]> Messages = Gen.OneOf(Built, Gen.Byte.Array[0, 200], Gen.OneOf(Samples.Select(FuzzRun.Mutations).ToArray()));

    [Fact]
    public void Header_splitter_and_signature_tags_never_throw()
    {
        Messages.Sample(data =>
        {
            var message = DkimMessage.Parse(data);
            Assert.InRange(message.BodyOffset, 0, data.Length);
            foreach (var field in message.Fields)
            {
                Assert.NotNull(field.Name);
                if (field.Is("DKIM-Signature")) Assert.NotNull(DkimSignature.Parse(field));
                else if (field.Is("ARC-Message-Signature")) Assert.NotNull(DkimSignature.Parse(field, arcMessageSignature: true));
                DkimTagList.TryParse(field, out _, out _);
            }
        }, iter: FuzzRun.Iterations(40_000));
    }

    [Fact]
    public void Authentication_results_parser_throws_only_its_syntax_exception()
    {
        Gen.Select(FuzzRun.AnyText(ResultsTokens, "; ", ";", " ", "\r\n\t", ""), Gen.OneOfConst(
                AuthenticationResultsSource.AuthenticationResults, AuthenticationResultsSource.ArcAuthenticationResults, AuthenticationResultsSource.ReceivedSpf))
            .Sample((text, source) =>
            {
                AuthenticationResultsParser.TryParse(text, out _, out _);
                AuthenticationResultsHeader header;
                try { header = AuthenticationResultsParser.Parse(source, text); }
                catch (AuthenticationResultsSyntaxException) { return; }
                // Whatever parses writes itself out and reads back.
                var written = header.ToString();
                Assert.NotNull(AuthenticationResultsParser.Parse(source, written));
                foreach (var result in header.Results) Assert.NotNull(result.ToString());
            }, iter: FuzzRun.Iterations(100_000));
    }

    [Fact]
    public void Message_authentication_gives_a_result_for_any_message()
    {
        // SPF, DKIM, ARC and DMARC over one message, against zones held in memory: any bytes give a result.
        var resolver = new MailAuth.Dns.InMemoryResolver()
            .AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 -all")
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com")
            .AddTxt("sel._domainkey.example.com", "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        var authenticator = new MailAuth.MessageAuthentication.MessageAuthenticator(resolver);
        var options = new MailAuth.MessageAuthentication.MessageAuthenticationOptions
        {
            ClientIP = System.Net.IPAddress.Parse("192.0.2.10"), MailFrom = "bounce@example.com", Helo = "mail.example.com",
        };
        Messages.Sample(data =>
        {
            var result = authenticator.AuthenticateAsync(data, options).GetAwaiter().GetResult();
            Assert.NotNull(result);
        }, iter: FuzzRun.Iterations(10_000));
    }

    [Fact]
    public void Authentication_results_reader_returns_fields_for_any_bytes()
    {
        Messages.Sample(data =>
        {
            var fields = AuthenticationResultsReader.ReadAsync(new MemoryStream(data)).GetAwaiter().GetResult();
            Assert.All(fields, f => Assert.True((f.Header == null) != (f.Error == null)));
        }, iter: FuzzRun.Iterations(20_000));
    }
}
