using System;
using System.IO;
using System.Linq;
using System.Text;
using MailAuth.Tests.Dkim;
using MailAuth.Tests.Infrastructure;
using MimeKit.Cryptography;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// Get-DkimRecord, Test-DkimSignature and Test-ArcChain through the real PowerShell engine, keys served by
/// Knot, messages really signed (MimeKit's DkimSigner, dkimpy) into a temporary folder.
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class DkimCmdletTests : IDisposable
{
    private readonly KnotDnsServer _dns;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mailauth-dkim-ps-" + Guid.NewGuid().ToString("N"));

    public DkimCmdletTests(KnotDnsServerFixture fixture)
    {
        _dns = fixture.Server;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string SignedFile(string name, string selector = "rsa2048", string key = "rsa2048.key", DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256) =>
        Write(name, DkimTestSigning.SignWithMimeKit(DkimTestSigning.Message("plain.eml"), key, "dkim.test", selector, algorithm));

    [Fact]
    public void Get_DkimRecord_follows_the_ses_cname_and_reports_the_key()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-DkimRecord dkim.test abcdefghijklmnopqrstuvwxyz234567, rsa1024 -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(2, r.Output.Count);
        Assert.Equal("abcdefghijklmnopqrstuvwxyz234567.dkim.amazonses.com", r.Property(0, "CnameTarget"));
        Assert.Equal(2048, r.Property(0, "KeySize"));
        Assert.Equal("rsa", r.Property(0, "KeyType"));
        Assert.Equal("Found", r.Property(0, "Status").ToString());
        Assert.Equal(1024, r.Property(1, "KeySize"));
        var codes = ps.Run("@(Get-DkimRecord dkim.test rsa1024 -Server $args[0])[0].Findings | ForEach-Object Code", _dns.Address).Output.Select(o => o.ToString());
        Assert.Equal(new[] { "DkimKeyWeak" }, codes);
    }

    [Fact]
    public void Get_DkimRecord_default_view_shows_key_and_finding_codes()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format("Get-DkimRecord dkim.test testing, rsa512 -Server $args[0]", _dns.Address);
        Assert.Contains("KeySize", text);
        Assert.Contains("DkimKeyTesting", text);
        Assert.Contains("DkimKeyTooShort", text);
        Assert.DoesNotContain("Findings       :", text);
    }

    [Fact]
    public void Get_DkimRecord_binds_domain_and_selector_by_property_name()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ Domain = 'dkim.test'; Selector = 'ed25519' }, [pscustomobject]@{ DomainName = 'DKIM.test.'; Selector = 'revoked', 'nosuch' } | Get-DkimRecord -Server $args[0]", _dns.Address).ThrowOnError();
        Assert.Equal(new[] { "ed25519", "revoked", "nosuch" }, r.Output.Select(o => o.Properties["Selector"].Value.ToString()));
        Assert.Equal(new[] { "Found", "Found", "NotFound" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
        Assert.Equal(true, r.Property(1, "Revoked"));
    }

    [Fact]
    public void Get_DkimRecord_bad_input_is_non_terminating_and_dns_failure_is_an_error_status()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-DkimRecord dkim.test 'bad selector', rsa2048 -Server $args[0]; Get-DkimRecord 'bad domain' x -Server $args[0]; Get-DkimRecord broken.test sel -Server $args[0] -DnsRetryCount 0", _dns.Address);
        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "InvalidDkimSelector", "InvalidDomainName", "DnsLookupFailed" }, r.ErrorIds.Select(id => id.Split(',')[0]));
        Assert.Equal(2, r.Output.Count);
        Assert.Equal("Found", r.Property(0, "Status").ToString());
        Assert.Equal(("Error", "ServerFailure"), (r.Property(1, "Status").ToString(), r.Property(1, "ErrorKind").ToString()));
    }

    [Fact]
    public void Test_DkimSignature_verifies_files_with_wildcards_and_keeps_going_past_a_missing_file()
    {
        var good = SignedFile("a-good.eml");
        var ed = SignedFile("b-ed25519.eml", "ed25519", "ed25519.key", DkimSignatureAlgorithm.Ed25519Sha256);
        Write("c-tampered.eml", DkimTestSigning.Replace(File.ReadAllBytes(good), "plain test message", "changed test message"));
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-DkimSignature ([IO.Path]::Combine($args[1], 'missing.eml')), ([IO.Path]::Combine($args[1], '*.eml')) -Server $args[0]", _dns.Address, _dir);
        Assert.Null(r.Terminating);
        Assert.Equal(new[] { "MessageFileNotFound" }, r.ErrorIds.Select(id => id.Split(',')[0]));
        Assert.Equal(3, r.Output.Count);
        Assert.Equal(new[] { "Pass", "Pass", "Fail" }, r.Output.Select(o => o.Properties["Result"].Value.ToString()));
        Assert.Equal(ed, r.Property(1, "Source"));
        Assert.Equal("ed25519-sha256", r.Property(1, "Algorithm"));
        Assert.Equal(false, r.Property(2, "BodyHashMatches"));
        Assert.Equal(true, r.Property(2, "SignatureMatches"));
    }

    [Fact]
    public void Test_DkimSignature_unreadable_file_is_an_error_and_the_others_are_processed()
    {
        var good = SignedFile("good.eml");
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-DkimSignature -LiteralPath $args[1], $args[2] -Server $args[0]", _dns.Address, _dir, good);
        Assert.Equal(new[] { "MessageFileUnreadable" }, r.ErrorIds.Select(id => id.Split(',')[0]));
        Assert.Single(r.Output);
        Assert.Equal("Pass", r.Property(0, "Result").ToString());
    }

    [Fact]
    public void Test_DkimSignature_binds_FullName_and_takes_message_text()
    {
        var good = SignedFile("good.eml");
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ FullName = $args[1] } | Test-DkimSignature -Server $args[0]", _dns.Address, good).ThrowOnError();
        Assert.Equal("Pass", r.Property(0, "Result").ToString());
        var text = Encoding.ASCII.GetString(File.ReadAllBytes(good));
        var m = ps.Run("Test-DkimSignature -Message $args[1] -Server $args[0]", _dns.Address, text).ThrowOnError();
        Assert.Equal("Pass", m.Property(0, "Result").ToString());
        Assert.Null(m.Property(0, "Source"));
        var bad = ps.Run("Test-DkimSignature -Message 42 -Server $args[0]", _dns.Address);
        Assert.Equal(new[] { "InvalidMessage" }, bad.ErrorIds.Select(id => id.Split(',')[0]));
    }

    [Fact]
    public void Test_DkimSignature_malformed_message_is_a_permerror_result_not_an_exception()
    {
        var file = Write("junk.eml", Encoding.ASCII.GetBytes("DKIM-Signature: v=1; a=rsa-sha256; d=dkim.test; s=rsa2048; h=from; bh=!!; b=AAAA\r\nnot a header\r\n\r\nbody"));
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-DkimSignature $args[1] -Server $args[0]", _dns.Address, file).ThrowOnError();
        Assert.Equal("PermError", r.Property(0, "Result").ToString());
        Assert.Contains("bh=", r.Property(0, "Reason").ToString());
    }

    [Fact]
    public void Test_DkimSignature_default_view_shows_the_verdict_columns()
    {
        var file = SignedFile("view.eml", "rsa1024", "rsa1024.key");
        using var ps = new PowerShellSession();
        var text = ps.Format("Test-DkimSignature $args[1] -Server $args[0]", _dns.Address, file);
        Assert.Contains("BodyHash", text);
        Assert.Contains("weak key", text);
        Assert.DoesNotContain("Algorithm", text); // in the list view
        Assert.Contains("Source: " + file, text);
    }

    [Fact]
    public void Test_ArcChain_validates_a_sealed_message()
    {
        var signed = DkimTestSigning.SignWithDkimpy(DkimTestSigning.Message("plain.eml"), "rsa2048.key", "dkim.test", "rsa2048");
        var withAr = Encoding.ASCII.GetBytes("Authentication-Results: relay1.dkim.test; dkim=pass header.d=dkim.test\r\n").Concat(signed).ToArray();
        var sealedFile = Write("sealed.eml", DkimTestSigning.ArcSealWithDkimpy(withAr, "relay1.dkim.test", _dns.Address));
        var plain = Write("plain.eml", DkimTestSigning.Message("plain.eml"));
        using var ps = new PowerShellSession();
        var r = ps.Run("Test-ArcChain $args[1], $args[2], $args[3] -Server $args[0]", _dns.Address, sealedFile, plain, Path.Combine(_dir, "nothere.eml"));
        Assert.Equal(new[] { "MessageFileNotFound" }, r.ErrorIds.Select(id => id.Split(',')[0]));
        Assert.Equal(2, r.Output.Count);
        Assert.Equal(("Pass", 1), (r.Property(0, "Result").ToString(), (int)r.Property(0, "InstanceCount")));
        Assert.Equal("None", r.Property(1, "Result").ToString());
        var text = ps.Format("Test-ArcChain $args[1] -Server $args[0]", _dns.Address, sealedFile);
        Assert.True(text.Contains("i=1 cv=none AS=ok AMS=ok"), text);
    }

    [Fact]
    public void Pester_file_parses()
    {
        System.Management.Automation.Language.Parser.ParseFile(Path.Combine(RepositoryPaths.Root, "tests", "Pester", "Dkim.Tests.ps1"), out _, out var errors);
        Assert.Empty(errors);
    }

    [Fact]
    public void Cmdlets_declare_their_output_types()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'Get-DkimRecord', 'Test-DkimSignature', 'Test-ArcChain' | ForEach-Object { (Get-Command $_).OutputType[0].Name }").ThrowOnError();
        Assert.Equal(new[] { "MailAuth.Dkim.DkimRecordResult", "MailAuth.Dkim.DkimSignatureResult", "MailAuth.Arc.ArcChainResult" }, r.Output.Select(o => o.ToString()));
    }
}
