using System;
using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using MailAuth.Tests.MessageAuthentication;
using Xunit;

namespace MailAuth.PowerShell.Tests;

[Collection(KnotDnsCollection.Name)]
public sealed class TestMailAuthenticationTests : IDisposable
{
    private readonly KnotDnsServer _dns;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mailauth-tma-" + Guid.NewGuid().ToString("N"));

    public TestMailAuthenticationTests(KnotDnsServerFixture fixture)
    {
        _dns = fixture.Server;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(SeedConfiguration c)
    {
        var file = Path.Combine(_dir, c.Name + ".eml");
        File.WriteAllBytes(file, c.BuildMessage());
        return file;
    }

    public static TheoryData<string> Configurations()
    {
        var data = new TheoryData<string>();
        foreach (var c in SeedConfiguration.Load()) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Seed_000_configuration_gets_gmails_verdict_through_the_cmdlet(string name)
    {
        var c = SeedConfiguration.Get(name);
        var file = Write(c);
        using var ps = new PowerShellSession();
        var r = c.ReturnPath
            ? ps.Run("Test-MailAuthentication $args[0] -ClientIP $args[1] -Server $args[2] -AuthServId mx.mailauth.test", file, c.ClientIP, _dns.Address).ThrowOnError()
            : ps.Run("Test-MailAuthentication $args[0] -ClientIP $args[1] -MailFrom $args[3] -Server $args[2] -AuthServId mx.mailauth.test", file, c.ClientIP, _dns.Address, c.MailFrom).ThrowOnError();
        var result = Assert.Single(r.Output);
        Assert.Equal(c.ExpectDmarc, result.Properties["DmarcResult"].Value.ToString().ToLowerInvariant());
        Assert.Equal(c.ExpectSpfAligned, result.Properties["SpfAligned"].Value);
        Assert.Equal(c.ExpectDkimAligned, result.Properties["DkimAligned"].Value);
        Assert.Equal("mail.kktkht94.work", result.Properties["HeaderFromDomain"].Value);
        Assert.Equal(file, result.Properties["Path"].Value);

        // The composed header goes through ConvertFrom-AuthenticationResult by property name and reads back the same verdicts.
        var back = ps.Run("$args[0] | ConvertFrom-AuthenticationResult", result).ThrowOnError();
        var methods = back.Output.Select(o => o.Properties["Method"].Value + "=" + o.Properties["Result"].Value).ToList();
        Assert.Equal(c.GmailHeader?.Expected ?? c.ExpectMethods.Split(' '), methods);
        Assert.All(back.Output, o => Assert.Equal("mx.mailauth.test", o.Properties["AuthServId"].Value));
    }

    [Fact]
    public void Several_files_and_a_missing_one_through_the_pipeline()
    {
        var files = SeedConfiguration.Load().Where(c => !c.ReturnPath).Select(Write).ToList();
        using var ps = new PowerShellSession();
        var r = ps.Run("$args[0] | Test-MailAuthentication -ClientIP 23.251.234.8 -MailFrom bounce@spf.mail.kktkht94.work -Server $args[1]",
            files.Append(Path.Combine(_dir, "missing.eml")).ToArray(), _dns.Address);
        Assert.Null(r.Terminating);
        Assert.Equal(files.Count, r.Output.Count);
        Assert.All(r.Output, o => Assert.Equal("Pass", o.Properties["DmarcResult"].Value.ToString()));
        Assert.StartsWith("MessageFileNotFound,", Assert.Single(r.ErrorIds));
    }

    [Fact]
    public void Message_without_from_is_a_result_not_an_error()
    {
        var file = Path.Combine(_dir, "nofrom.eml");
        File.WriteAllText(file, "To: someone@gmail.com\r\nSubject: no author\r\n\r\nBody.\r\n");
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-MailAuthentication $args[0] -ClientIP 23.251.234.8 -MailFrom bounce@ap-northeast-1.amazonses.com -Server $args[1]", file, _dns.Address).ThrowOnError();
        Assert.Equal("None", r.Property(0, "DmarcResult").ToString());
        Assert.Equal("Missing", r.Property(0, "HeaderFromStatus").ToString());
    }

    [Fact]
    public void Bad_client_ip_is_a_clear_error()
    {
        var file = Write(SeedConfiguration.Load()[0]);
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-MailAuthentication $args[0] -ClientIP 'not-an-ip' -Server $args[1]", file, _dns.Address);
        var id = (r.Terminating as System.Management.Automation.RuntimeException)?.ErrorRecord.FullyQualifiedErrorId ?? string.Join(",", r.ErrorIds);
        Assert.StartsWith("InvalidClientIP", id);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void Forwarded_message_shows_its_passing_arc_chain_beside_the_failing_dmarc_verdict()
    {
        var file = Path.Combine(_dir, "from-the-list.eml");
        File.WriteAllBytes(file, ArcForwarding.SealedByListAndForwarder(_dns.Address));
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-MailAuthentication $args[0] -ClientIP $args[1] -MailFrom $args[2] -Server $args[3] -AuthServId mx.mailauth.test",
            file, ArcForwarding.RelayIP, ArcForwarding.MailFrom, _dns.Address).ThrowOnError();
        var result = Assert.Single(r.Output);
        Assert.Equal("Pass", result.Properties["ArcResult"].Value.ToString());
        Assert.Equal(("Fail", "Reject"), (result.Properties["DmarcResult"].Value.ToString(), result.Properties["Disposition"].Value.ToString()));
        Assert.Contains(ArcForwarding.Forwarder, (string)result.Properties["ArcOverrideNote"].Value);

        // Arc is the chain's validation, as Test-ArcChain writes it.
        var arc = ps.Run("$a = $args[0].Arc; $a.Result.ToString(); $a.InstanceCount; $a.OldestPass; $a.Sets.SealDomain; $args[0].ArcSealers", result).ThrowOnError();
        Assert.Equal(new[] { "Pass", "2", "0", ArcForwarding.List, ArcForwarding.Forwarder, ArcForwarding.List, ArcForwarding.Forwarder },
            arc.Output.Select(o => o.ToString()));

        // The composed header reads back with an arc= entry carrying the client address and oldest-pass.
        var back = ps.Run("$args[0] | ConvertFrom-AuthenticationResult | Where-Object Method -eq arc", result).ThrowOnError();
        var entry = Assert.Single(back.Output);
        Assert.Equal("pass", entry.Properties["Result"].Value);
        Assert.Contains("arc=pass", (string)result.Properties["AuthenticationResults"].Value);
        var properties = ps.Run("$p = $args[0].Properties; $p['smtp.remote-ip']; $p['header.oldest-pass']", entry).ThrowOnError();
        Assert.Equal(new[] { ArcForwarding.RelayIP, "0" }, properties.Output.Select(o => o.ToString()));

        // The default view has the Arc column.
        var text = ps.Format("$args[0]", result);
        Assert.Contains("Arc", text);
        Assert.Matches(@"Fail\s+Reject\s+\w+\s+\w+\s+Pass", text); // Dmarc, Disposition, Spf, Dkim, Arc
    }

    [Fact]
    public void Default_view_shows_the_verdicts()
    {
        var file = Write(SeedConfiguration.Get("own_domain_dkim_added_passes"));
        using var ps = new PowerShellSession();
        var text = ps.Format("Test-MailAuthentication $args[0] -ClientIP 23.251.234.10 -MailFrom bounce@ap-northeast-1.amazonses.com -Server $args[1]", file, _dns.Address);
        Assert.Contains("Aligned", text);
        Assert.Matches(@"Pass\s+None\s+\w+\s+Pass\s+\w+\s+\S*dkim\s+mail\.kktkht94\.work", text); // Dmarc, Disposition, Spf, Dkim, Arc, Aligned, HeaderFrom
    }
}
