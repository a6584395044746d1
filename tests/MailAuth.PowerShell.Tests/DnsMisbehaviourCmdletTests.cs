using System;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// Every DNS cmdlet through the hosted engine, against a server that answers the names under bad.test with a
/// truncated UDP answer and then garbage over TCP, and the names under good.test properly: the bad domain is an
/// Error (TempError for Test-Spf) and the pipeline goes on to the good one, with no terminating error.
/// </summary>
public sealed class DnsMisbehaviourCmdletTests : IDisposable
{
    private const string DkimKey = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp+IkK0H34Z81xmQcw8qJ2JGCi+GUSkYiDKcYdELJQ3vt9QPYnXqKpitlNfCiW+++15ct6vRY1Ct72eGtIJzzuVw2qxgcDye8ZVrdomkpG8Mrd5PsMI6tM1XNwLxN8Vtktkj++NJan0lCMJ85QjDs0B+KO6usuPC00ObjXl8ti6L25sNkJ0franqwJcnuIgUcQdM1woGRBBIbyxubTmQxNjK+dsvGoC547Pt7Qq3//3AdoWn9O5eGe3rsGDcQdUBxR321GoNpKyB+09v6K6j9bYrPfiB2jXShvp5gVCbR+BN1SfIXcc0A7sZCrebqYrWVM9pWqzzsRnwiYRSq+8bGfwIDAQAB";

    private readonly MisbehavingDnsServer _server = new MisbehavingDnsServer(Answer);
    private readonly PowerShellSession _ps = new PowerShellSession();

    private static DnsReply Answer(DnsQuestionSeen q)
    {
        if (q.Name == "bad.test" || q.Name.EndsWith(".bad.test", StringComparison.Ordinal))
            return q.OverTcp ? DnsReply.Garbage(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF }) : DnsReply.Truncate();
        switch (q.Name, q.RecordType)
        {
            case ("good.test", MailAuth.Dns.DnsRecordType.TXT): return DnsReply.Answer(DnsRecordSpec.Txt(q.Name, "v=spf1 ip4:192.0.2.0/24 -all"));
            case ("_dmarc.good.test", MailAuth.Dns.DnsRecordType.TXT): return DnsReply.Answer(DnsRecordSpec.Txt(q.Name, "v=DMARC1; p=reject; rua=mailto:d@good.test"));
            case ("s1._domainkey.good.test", MailAuth.Dns.DnsRecordType.TXT): return DnsReply.Answer(DnsRecordSpec.Txt(q.Name, DkimKey.Substring(0, 200), DkimKey.Substring(200)));
            case ("good.test", MailAuth.Dns.DnsRecordType.MX): return DnsReply.Answer(DnsRecordSpec.Mx(q.Name, 10, "mx.good.test"));
            case ("mx.good.test", MailAuth.Dns.DnsRecordType.A): return DnsReply.Answer(DnsRecordSpec.A(q.Name, "192.0.2.25"));
        }
        return q.Name.EndsWith("good.test", StringComparison.Ordinal) ? DnsReply.Answer() : DnsReply.NxDomain();
    }

    public void Dispose()
    {
        _ps.Dispose();
        _server.Dispose();
    }

    private PipelineResult Run(string script)
    {
        var r = _ps.Run(script + " -Server $args[0] -DnsRetryCount 0", $"127.0.0.1:{_server.Port}");
        Assert.Null(r.Terminating);
        // The only errors are DnsLookupFailed, written beside a Status Error object for the server that misbehaved.
        Assert.All(r.Errors, e => Assert.StartsWith("DnsLookupFailed,", e.FullyQualifiedErrorId));
        Assert.Contains(_server.Asked, q => q.OverTcp);
        return r;
    }

    [Fact]
    public void Get_SpfRecord_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = Run("'bad.test', 'good.test' | Get-SpfRecord");
        Assert.Equal(new[] { "Error", "Found" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
    }

    [Fact]
    public void Test_Spf_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = Run("[pscustomobject]@{ IPAddress = '192.0.2.1'; MailFrom = 'a@bad.test' }, [pscustomobject]@{ IPAddress = '192.0.2.1'; MailFrom = 'a@good.test' } | Test-Spf");
        Assert.Equal(new[] { "TempError", "Pass" }, r.Output.Select(o => o.Properties["Result"].Value.ToString()));
    }

    [Fact]
    public void Get_DmarcRecord_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = Run("'bad.test', 'good.test' | Get-DmarcRecord");
        Assert.Equal(new[] { "Error", "Found" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
    }

    [Fact]
    public void Get_DkimRecord_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = Run("[pscustomobject]@{ Domain = 'bad.test'; Selector = 's1' }, [pscustomobject]@{ Domain = 'good.test'; Selector = 's1' } | Get-DkimRecord");
        Assert.Equal(new[] { "Error", "Found" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
    }

    [Fact]
    public void Get_MxRecord_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = Run("'bad.test', 'good.test' | Get-MxRecord");
        Assert.Equal(new[] { "Error", "Found" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
    }

    [Fact]
    public void Test_SpfAlignment_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = Run("[pscustomobject]@{ HeaderFrom = 'a@x.bad.test'; MailFrom = 'b@y.bad.test' }, [pscustomobject]@{ HeaderFrom = 'a@x.good.test'; MailFrom = 'b@y.good.test' } | Test-SpfAlignment");
        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.Properties["IsError"].Value));
        Assert.Equal(true, r.Property(1, "Aligned"));
    }

    [Fact]
    public void Test_DkimAlignment_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = Run("[pscustomobject]@{ HeaderFrom = 'a@x.bad.test'; SigningDomain = 'y.bad.test' }, [pscustomobject]@{ HeaderFrom = 'a@x.good.test'; SigningDomain = 'y.good.test' } | Test-DkimAlignment");
        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.Properties["IsError"].Value));
        Assert.Equal(true, r.Property(1, "Aligned"));
    }

    /// <summary>
    /// Writes one message per domain (Return-Path, From and a DKIM-Signature of that domain) into a new folder and
    /// runs <paramref name="script"/> with their paths as $args[1] and $args[2]; -Server follows $args[2].
    /// </summary>
    private PipelineResult RunOnMessages(string script)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("mailauth-dns-").FullName;
        try
        {
            var paths = new[] { "bad.test", "good.test" }.Select(d =>
            {
                var path = System.IO.Path.Combine(dir, d + ".eml");
                System.IO.File.WriteAllText(path,
                    $"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={d}; s=s1; h=from:subject;\r\n" +
                    "\tbh=frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=; b=AAAAAAAA\r\n" +
                    $"Return-Path: <bounce@{d}>\r\nFrom: a@{d}\r\nSubject: t\r\n\r\nbody\r\n");
                return path;
            }).ToArray();
            var r = _ps.Run(script.Replace("$args[2]", "$args[2] -Server $args[0] -DnsRetryCount 0", StringComparison.Ordinal), $"127.0.0.1:{_server.Port}", paths[0], paths[1]);
            Assert.Null(r.Terminating);
            Assert.Empty(r.Errors);
            Assert.Equal(2, r.Output.Count);
            return r;
        }
        finally
        {
            System.IO.Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Test_DkimSignature_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = RunOnMessages("Test-DkimSignature -LiteralPath $args[1], $args[2]");
        Assert.Equal("TempError", r.Property(0, "Result").ToString());
        Assert.NotEqual("TempError", r.Property(1, "Result").ToString());
    }

    [Fact]
    public void Test_MailAuthentication_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = RunOnMessages("Test-MailAuthentication $args[1], $args[2] -ClientIP 192.0.2.1 | ForEach-Object { '{0} {1}' -f $_.Spf.Result, $_.DmarcResult }");
        Assert.Equal("TempError TempError", r.Output[0].ToString());
        Assert.StartsWith("Pass ", r.Output[1].ToString());
        Assert.NotEqual("Pass TempError", r.Output[1].ToString());
    }

    [Fact]
    public void Test_MailDomain_goes_on_after_a_server_that_sends_garbage_over_tcp()
    {
        var r = Run("'bad.test', 'good.test' | Test-MailDomain -DkimSelector s1");
        var rows = r.Output.Select(o => (Domain: o.Properties["Domain"].Value.ToString(), Check: o.Properties["Check"].Value.ToString(), Status: o.Properties["Status"].Value.ToString())).ToList();
        Assert.Contains(("bad.test", "Spf.Present", "Error"), rows);
        Assert.Contains(("good.test", "Spf.Present", "Ok"), rows);
        Assert.Contains(("good.test", "Dmarc.Present", "Ok"), rows);
        Assert.DoesNotContain(rows, row => row.Domain == "bad.test" && row.Status == "Fail");
    }
}

/// <summary>Issue 13.2: a CNAME to a name of arbitrary octets (RFC 2181 §11) is followed; nothing throws and every cmdlet reports.</summary>
public sealed class DnsOctetLabelCmdletTests
{
    [Fact]
    public void Cname_to_forty_0xFF_octets_is_followed_by_each_cmdlet()
    {
        var ff = Enumerable.Repeat((byte)0xFF, 40).ToArray();
        using var server = new MisbehavingDnsServer(q =>
            q.Labels.Count > 0 && q.Labels[0].SequenceEqual(ff) ? DnsReply.NxDomain()
            : DnsReply.Answer(DnsRecordSpec.Cname(DnsRecordSpec.Labels(q.Name), new[] { ff, System.Text.Encoding.ASCII.GetBytes("test") })));
        using var ps = new PowerShellSession();
        var r = ps.Run(@"Get-SpfRecord example.test -Server $args[0]
            Get-DmarcRecord example.test -Server $args[0]
            Test-Spf 192.0.2.1 a@example.test -Server $args[0]
            Test-MailDomain example.test -Server $args[0]", $"127.0.0.1:{server.Port}");
        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal("NotFound", r.Property(0, "Status").ToString());
        Assert.Equal("NotFound", r.Property(1, "Status").ToString());
        Assert.Equal("None", r.Property(2, "Result").ToString());
        Assert.Contains(r.Output.Skip(3), o => o.Properties["Check"]?.Value?.ToString() == "Spf.Present");
        Assert.Contains(server.Asked, q => q.Labels.Count == 2 && q.Labels[0].SequenceEqual(ff));
    }
}

/// <summary>Issue 13.11: after Stop, not one more DNS question reaches the server.</summary>
public sealed class DnsCancellationCmdletTests
{
    [Fact]
    public async Task Test_MailDomain_sends_nothing_after_the_pipeline_is_stopped()
    {
        using var server = new MisbehavingDnsServer(q => DnsReply.Silence());
        using var ps = new PowerShellSession();
        var domains = string.Join(", ", Enumerable.Range(0, 200).Select(i => $"'d{i}.test'"));
        var stopped = await ps.RunAndStopAsync(
            $"{domains} | Test-MailDomain -DkimSelector s1 -ThrottleLimit 8 -Server $args[0] -DnsTimeoutSec 1 -DnsRetryCount 10",
            () => server.QuestionCount >= 20, $"127.0.0.1:{server.Port}");
        Assert.True(stopped, "the pipeline did not stop");
        await Task.Delay(200);
        int afterStop = server.QuestionCount;
        await Task.Delay(2500); // longer than a timeout and a retry
        Assert.Equal(afterStop, server.QuestionCount);
    }
}
