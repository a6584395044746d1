using CsCheck;
using MailAuth.Dns;
using MailAuth.Common;
using Xunit;

namespace MailAuth.Tests.Fuzz;

/// <summary>
/// What users type under fuzzing: -Server values (an address, [v6]:port, host:port) and domain names or
/// addresses given as -Domain. Bad input is a <see cref="MailAuthInputException"/> with a stable ErrorId,
/// never anything else.
/// </summary>
public sealed class InputNameFuzzTests
{
    private static readonly string[] ServerTokens =
    {
        "192.0.2.53", "127.0.0.1", "::1", "[::1]", "[2001:db8::53]:5353", "2001:db8::53", ":", "]", "[", ":53", ":0", ":65536", ":-1", ":99999999999",
        "%eth0", "%", "0x7f.1", "1.2.3", "999.1.1.1", "localhost", "dns.example", "fe80::1%25en0", "::ffff:192.0.2.1", "tcp://", "udp://"
    };

    private static readonly string[] NameTokens =
    {
        "example", "com", ".", "..", "-", "xn--", "xn--bcher-kva", "bücher", "ß", "İ", "\u200d", "*", "_dmarc", "@", "user@", "<", ">",
        "a\\.b", "\\255", "\\", "63charsxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", " "
    };

    [Fact]
    public void Server_parser_throws_only_its_input_exception()
    {
        FuzzRun.AnyText(ServerTokens, "", ":", ".").Sample(text =>
        {
            // Host names resolve to a documentation address here, so the fuzz run asks no real DNS.
            try { Assert.NotNull(DnsServerEndpoint.Parse(text, host => new[] { System.Net.IPAddress.Parse("192.0.2.53") })); }
            catch (MailAuthInputException ex) { Assert.Equal(DnsServerEndpoint.InvalidServerAddressErrorId, ex.ErrorId); }
        }, iter: FuzzRun.Iterations(100_000));
    }

    [Fact]
    public void Domain_names_and_addresses_throw_only_the_input_exception()
    {
        Gen.Select(FuzzRun.AnyText(NameTokens, ".", "", "@"), FuzzRun.AnyText(NameTokens, ".", "")).Sample((text, parent) =>
        {
            if (DomainName.TryNormalize(text, out var name, out _)) Assert.Equal(name, DomainName.Normalize(name));
            try { DomainName.Normalize(DomainName.FromAddressOrDomain(text)); }
            catch (MailAuthInputException ex) { Assert.Equal(DomainName.InvalidDomainNameErrorId, ex.ErrorId); }
            DomainName.IsAtOrBelow(text, parent);
        }, iter: FuzzRun.Iterations(100_000));
    }
}
