using System.Collections.Generic;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

/// <summary>The console host (src/MailAuth.Host) as a user runs it: exit codes, plain redirected output, -File arguments.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class ConsoleHostTests
{
    private static readonly string ArgumentsScript = RepositoryPaths.DataFile("host", "Show-Arguments.ps1");
    private readonly KnotDnsServer _dns;

    public ConsoleHostTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    [Fact]
    public void Redirected_output_is_plain_text()
    {
        var r = HostProcess.Command($"Import-Module ./MailAuth.psd1; Get-MxRecord mx.test -Server '{_dns.Address}'");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("mx1.mx.test", r.Output);
        Assert.DoesNotContain('\u001b', r.Output);
    }

    [Fact]
    public void No_color_gives_plain_text_too()
    {
        var r = HostProcess.Command("$PSStyle.OutputRendering", new Dictionary<string, string> { ["NO_COLOR"] = "1" });
        Assert.Equal(new[] { "PlainText" }, r.Lines);
    }

    [Fact]
    public void A_non_terminating_error_makes_exit_code_1_and_the_rest_still_runs()
    {
        var r = HostProcess.Command($"Import-Module ./MailAuth.psd1; 'bad domain', 'mx.test' | Get-MxRecord -Server '{_dns.Address}'; 'after'");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("mx2.mx.test", r.Output);
        Assert.Contains("after", r.Lines);
        Assert.Contains("'bad domain' is not a domain name", r.Error);
    }

    [Fact]
    public void Success_is_exit_code_0()
    {
        var r = HostProcess.Command("1 + 1");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new[] { "2" }, r.Lines);
    }

    [Fact]
    public void Exit_sets_the_exit_code()
    {
        Assert.Equal(3, HostProcess.Command("exit 3").ExitCode);
        Assert.Equal(0, HostProcess.Command("exit").ExitCode);
    }

    [Fact]
    public void A_terminating_error_is_exit_code_1_with_the_message_on_stderr()
    {
        var r = HostProcess.Command("throw 'it broke'; 'never'");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("it broke", r.Error);
        Assert.DoesNotContain("never", r.Output);
    }

    [Fact]
    public void File_binds_named_values_switches_and_arrays()
    {
        var r = HostProcess.Run(new[] { "-File", ArgumentsScript, "-Domain", "a.example,b.example", "-Force", "-Count", "3", "-Text", "x,y", "positional" });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(new[] { "First=positional", "Domain=a.example|b.example (2)", "Force=True", "Count=3", "Text=x,y" }, r.Lines);
    }

    [Fact]
    public void File_binds_inline_values_prefixes_and_everything_after_double_dash_as_positional()
    {
        var r = HostProcess.Run(new[] { "-NoProfile", "-File", ArgumentsScript, "-Dom", "one.example", "-Force:$false", "-Count:7", "--", "-dash" });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(new[] { "First=-dash", "Domain=one.example (1)", "Force=False", "Count=7", "Text=" }, r.Lines);
    }

    [Fact]
    public void File_exit_code_is_the_scripts()
    {
        var r = HostProcess.Run(new[] { "-File", ArgumentsScript, "-ExitCode", "4" });
        Assert.Equal(4, r.ExitCode);
    }

    [Fact]
    public void File_with_an_unknown_parameter_fails()
    {
        var r = HostProcess.Run(new[] { "-File", ArgumentsScript, "-Nope", "1" });
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Nope", r.Error);
    }

    [Fact]
    public void Missing_script_is_a_usage_error()
    {
        var r = HostProcess.Run(new[] { "-File", "does-not-exist.ps1" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does-not-exist.ps1", r.Error);
    }
}
