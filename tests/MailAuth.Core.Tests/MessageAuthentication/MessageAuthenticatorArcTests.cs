using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using MailAuth.AuthenticationResults;
using MailAuth.Arc;
using MailAuth.Dkim;
using MailAuth.Dmarc;
using MailAuth.MessageAuthentication;
using MailAuth.Spf;
using MailAuth.Tests.Infrastructure;
using Xunit;
using static MailAuth.Tests.Dkim.DkimTestSigning;

namespace MailAuth.Tests.MessageAuthentication;

/// <summary>
/// The ARC verdict in Test-MailAuthentication's core: messages really sealed by dkimpy (tests/data/zones/arc.test.zone,
/// see <see cref="ArcForwarding"/>), validated within the receiver's evaluation, written as arc= in the header, and never
/// applied to DMARC.
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class MessageAuthenticatorArcTests
{
    private readonly KnotDnsServer _dns;

    public MessageAuthenticatorArcTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private Task<MessageAuthenticationResult> Authenticate(byte[] message, string clientIP = ArcForwarding.RelayIP) =>
        new MessageAuthenticator(_dns.CreateResolver()).AuthenticateAsync(message,
            new MessageAuthenticationOptions { ClientIP = IPAddress.Parse(clientIP), MailFrom = ArcForwarding.MailFrom, AuthServId = "mx.mailauth.test" });

    /// <summary>Authenticates a message whose chain must pass, as dkimpy's arc_verify also says.</summary>
    private async Task<MessageAuthenticationResult> AuthenticatePassingChain(byte[] message)
    {
        var result = await Authenticate(message);
        Assert.True(result.ArcResult == ArcChainValidation.Pass, result.Arc.Reason);
        Assert.StartsWith("pass", VerifyArcWithDkimpy(message, _dns.Address));
        return result;
    }

    private static AuthenticationResult ArcInHeader(MessageAuthenticationResult result) =>
        AuthenticationResultsParser.Parse(result.AuthenticationResults).Find("arc");

    /// <summary>The message without its ARC sets (every ARC-* field and its folded lines).</summary>
    private static byte[] WithoutArcSets(byte[] message)
    {
        var lines = Latin1(message).Split("\r\n").ToList();
        for (int i = 0; i < lines.Count;)
        {
            if (!lines[i].StartsWith("ARC-")) { i++; continue; }
            lines.RemoveAt(i);
            while (i < lines.Count && (lines[i].StartsWith(" ") || lines[i].StartsWith("\t"))) lines.RemoveAt(i);
        }
        return Encoding.Latin1.GetBytes(string.Join("\r\n", lines));
    }

    [Fact]
    public async Task Message_without_arc_sets_is_arc_none_and_the_header_has_no_arc_entry()
    {
        var result = await Authenticate(ArcForwarding.Original(), ArcForwarding.AuthorIP);
        Assert.Equal(DmarcResult.Pass, result.DmarcResult);
        Assert.Equal(ArcChainValidation.None, result.ArcResult);
        Assert.Equal(0, result.Arc.InstanceCount);
        Assert.Empty(result.ArcSealers);
        Assert.Null(result.Arc.OldestPass);
        Assert.Null(result.ArcOverrideNote);
        Assert.Null(ArcInHeader(result));
        Assert.Equal(new[] { "dkim=pass", "spf=pass", "dmarc=pass" },
            AuthenticationResultsParser.Parse(result.AuthenticationResults).Results.Select(r => r.Method + "=" + r.Result));
    }

    [Fact]
    public async Task Chain_of_one_set_passes_with_oldest_pass_0_in_the_header()
    {
        var result = await AuthenticatePassingChain(ArcForwarding.SealedByList(_dns.Address));
        Assert.Equal(1, result.Arc.InstanceCount);
        Assert.Equal("none", result.Arc.Sets[0].ChainValidation);
        Assert.Equal(new[] { ArcForwarding.List }, result.ArcSealers);
        Assert.Equal(0, result.Arc.OldestPass);

        var arc = ArcInHeader(result);
        Assert.Equal("pass", arc.Result);
        Assert.Equal("0", arc.Properties["header.oldest-pass"]);
        Assert.Equal(ArcForwarding.RelayIP, arc.Properties["smtp.remote-ip"]);
        Assert.Contains(ArcForwarding.List, arc.Comment);
        // dkim, then arc, then spf and dmarc, as Gmail orders them
        Assert.Equal(new[] { "dkim", "arc", "spf", "dmarc" }, AuthenticationResultsParser.Parse(result.AuthenticationResults).Results.Select(r => r.Method));
    }

    [Fact]
    public async Task Chain_of_two_sets_passes_with_oldest_pass_0_and_both_sealers_named()
    {
        var result = await AuthenticatePassingChain(ArcForwarding.SealedByListAndForwarder(_dns.Address));
        Assert.Equal(2, result.Arc.InstanceCount);
        Assert.Equal(new[] { "none", "pass" }, result.Arc.Sets.Select(s => s.ChainValidation));
        Assert.Equal(new[] { ArcForwarding.List, ArcForwarding.Forwarder }, result.ArcSealers);
        Assert.Equal(0, result.Arc.OldestPass);
        Assert.Equal("0", ArcInHeader(result).Properties["header.oldest-pass"]);
    }

    [Fact]
    public async Task Body_changed_before_the_second_seal_passes_with_oldest_pass_2()
    {
        var result = await AuthenticatePassingChain(ArcForwarding.SealedByListAndForwarder(_dns.Address, addDisclaimer: true));
        Assert.False(result.Arc.Sets[0].MessageSignatureValid);
        Assert.True(result.Arc.Sets[1].MessageSignatureValid);
        Assert.Equal(2, result.Arc.OldestPass);
        Assert.Equal("2", ArcInHeader(result).Properties["header.oldest-pass"]);
    }

    [Fact]
    public async Task Body_changed_after_the_last_seal_fails_arc()
    {
        var message = ArcForwarding.Append(ArcForwarding.SealedByListAndForwarder(_dns.Address), "added after sealing\r\n");
        var result = await Authenticate(message);
        Assert.Equal(ArcChainValidation.Fail, result.ArcResult);
        Assert.StartsWith("fail", VerifyArcWithDkimpy(message, _dns.Address));
        Assert.Contains("ARC-Message-Signature (i=2)", result.Arc.Reason);
        Assert.Null(result.Arc.OldestPass);
        Assert.Null(result.ArcOverrideNote);

        var arc = ArcInHeader(result);
        Assert.Equal("fail", arc.Result);
        Assert.Null(arc.Properties["header.oldest-pass"]);
        Assert.Equal(ArcForwarding.RelayIP, arc.Properties["smtp.remote-ip"]);
        Assert.Equal(result.Arc.Reason, arc.Comment);
    }

    [Fact]
    public async Task Sealer_that_found_the_chain_broken_makes_arc_fail()
    {
        var message = ArcForwarding.SealedByListAndForwarder(_dns.Address, chainValidation: "fail");
        var result = await Authenticate(message);
        Assert.Equal("fail", result.Arc.Sets.Last().ChainValidation);
        Assert.Equal(ArcChainValidation.Fail, result.ArcResult);
        Assert.StartsWith("terminated ARC-Seal[2] reported failure", VerifyArcWithDkimpy(message, _dns.Address));
        Assert.Contains("cv=fail", result.Arc.Reason);
        Assert.Equal("fail", ArcInHeader(result).Result);
        Assert.Null(result.ArcOverrideNote);
    }

    [Fact]
    public async Task Forwarded_message_still_fails_dmarc_when_its_arc_chain_passes()
    {
        var message = ArcForwarding.SealedByList(_dns.Address);
        var result = await Authenticate(message);

        // At the final receiver the list's footer broke the author's signature and the list's address is not in SPF.
        Assert.Equal(SpfResult.Fail, result.SpfResult);
        Assert.Equal(DkimResult.Fail, Assert.Single(result.Dkim).Result);
        Assert.Equal(ArcChainValidation.Pass, result.ArcResult);
        Assert.Equal(DmarcResult.Fail, result.DmarcResult);
        Assert.Equal(DmarcDisposition.Reject, result.Disposition);
        var dmarc = AuthenticationResultsParser.Parse(result.AuthenticationResults).Find("dmarc");
        Assert.Equal(("fail", "p=REJECT sp=REJECT dis=REJECT"), (dmarc.Result, dmarc.Comment));

        // The chain changes nothing in the DMARC verdict: the same message without its ARC set gets the same one.
        var withoutArc = await Authenticate(WithoutArcSets(message));
        Assert.Equal(ArcChainValidation.None, withoutArc.ArcResult);
        Assert.Equal((withoutArc.DmarcResult, withoutArc.Disposition, withoutArc.DmarcReason), (result.DmarcResult, result.Disposition, result.DmarcReason));

        // It is only said that a receiver trusting the sealer could override the policy.
        Assert.NotNull(result.ArcOverrideNote);
        Assert.Contains(ArcForwarding.List, result.ArcOverrideNote);
        Assert.Contains("local_policy", result.ArcOverrideNote);
        Assert.Contains("trusted_forwarder", result.ArcOverrideNote);
        Assert.Contains("reject", result.ArcOverrideNote);
    }

    [Fact]
    public async Task No_override_note_when_dmarc_passes_beside_a_passing_chain()
    {
        // Delivered from the author's own server: SPF passes and aligns, so DMARC passes without ARC.
        var result = await Authenticate(ArcForwarding.SealedByList(_dns.Address), ArcForwarding.AuthorIP);
        Assert.Equal(DmarcResult.Pass, result.DmarcResult);
        Assert.Equal(ArcChainValidation.Pass, result.ArcResult);
        Assert.Null(result.ArcOverrideNote);
    }

    [Fact]
    public async Task Sealer_key_lookup_failure_is_arc_temperror_in_the_header()
    {
        var message = Replace(ArcForwarding.SealedByList(_dns.Address), "d=lists.arc.test", "d=broken.test");
        var result = await Authenticate(message);
        Assert.Equal(ArcChainValidation.TempError, result.ArcResult);
        var arc = ArcInHeader(result);
        Assert.Equal("temperror", arc.Result);
        Assert.Contains("ServerFailure", arc.Comment);
    }
}
