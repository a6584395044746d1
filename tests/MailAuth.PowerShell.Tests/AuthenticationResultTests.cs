using System;
using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests;

public sealed class AuthenticationResultTests
{
    private static string Message(string name) => RepositoryPaths.DataFile("authres", "messages", name);

    [Fact]
    public void Reads_one_object_per_method_result_in_header_order()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-AuthenticationResult -Path $args[0] -ErrorAction SilentlyContinue", Message("gmail-received.eml"));
        Assert.Null(r.Terminating);
        Assert.Equal(
            new[] { "dkim", "spf", "dmarc", "dkim", "dkim", "spf", "dmarc", "spf", "none" },
            r.Output.Select(o => o.Properties["Method"].Value.ToString()));
        Assert.Equal("ARC-Authentication-Results", r.Property(0, "Source"));
        Assert.Equal(1, r.Property(0, "Instance"));
        Assert.Equal("Authentication-Results", r.Property(3, "Source"));
        Assert.Equal("mx.google.com", r.Property(3, "AuthServId"));
        Assert.Equal(1, r.Property(3, "HeaderIndex"));
        Assert.Equal("Received-SPF", r.Property(7, "Source"));
        Assert.Equal(Message("gmail-received.eml"), r.Property(8, "Path"));
        Assert.Equal("p=NONE sp=NONE dis=NONE", r.Property(6, "Comment"));
    }

    [Fact]
    public void Properties_are_indexed_by_key_in_powershell()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("@(Get-AuthenticationResult $args[0] -ErrorAction SilentlyContinue | Where-Object { $_.Method -eq 'dkim' -and $_.Source -eq 'Authentication-Results' }) | ForEach-Object { $_.Properties['header.i'] }",
            Message("gmail-received.eml"));
        Assert.Equal(new[] { "@mail.kktkht94.work", "@amazonses.com" }, r.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Malformed_header_is_a_non_terminating_error_and_the_other_headers_still_come_out()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("Get-AuthenticationResult $args[0]", Message("gmail-received.eml"));
        Assert.Null(r.Terminating);
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("AuthenticationResultsSyntaxError,", error.FullyQualifiedErrorId);
        Assert.Contains("header #3", error.ErrorDetails.Message);
        Assert.Contains("position", error.ErrorDetails.Message);
        Assert.Equal(9, r.Output.Count);
    }

    [Fact]
    public void Missing_and_unreadable_files_are_errors_and_other_files_are_still_read()
    {
        using var ps = new PowerShellSession();
        var dir = RepositoryPaths.DataFile("authres", "messages");
        var r = ps.Run("Get-AuthenticationResult -LiteralPath $args[0], $args[1], $args[2], $args[3]",
            Path.Combine(dir, "does-not-exist.eml"), dir, Message("no-results.eml"), Message("gmail-received.eml"));
        Assert.Null(r.Terminating);
        Assert.Contains(r.ErrorIds, id => id.StartsWith("MessageFileNotFound,"));
        Assert.Contains(r.ErrorIds, id => id.StartsWith("MessageFileUnreadable,"));
        Assert.Contains(r.ErrorIds, id => id.StartsWith("AuthenticationResultsSyntaxError,"));
        Assert.Equal(3, r.Errors.Count);
        Assert.Equal(9, r.Output.Count);
    }

    [Fact]
    public void Wildcard_path_and_pipeline_by_property_name()
    {
        using var ps = new PowerShellSession();
        var wildcard = ps.Run("Get-AuthenticationResult ($args[0] + '/*.eml') -ErrorAction SilentlyContinue", RepositoryPaths.DataFile("authres", "messages"));
        Assert.Equal(13, wildcard.Output.Count); // gmail-received.eml 9, microsoft365.eml 4
        var byProperty = ps.Run("[pscustomobject]@{ PSPath = $args[0] } | Get-AuthenticationResult -ErrorAction SilentlyContinue", Message("gmail-received.eml"));
        Assert.Equal(9, byProperty.Output.Count);
    }

    [Fact]
    public void Converts_header_text_with_or_without_the_field_name()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run(@"
            'Authentication-Results: mx.google.com; dkim=pass header.i=@example.com (good) ; spf=pass smtp.mailfrom=b@example.com',
            'mx.example.net 1; none',
            'Received-SPF: fail (bad) client-ip=192.0.2.1' | ConvertFrom-AuthenticationResult").ThrowOnError();
        Assert.Equal(new[] { "dkim", "spf", "none", "spf" }, r.Output.Select(o => o.Properties["Method"].Value.ToString()));
        Assert.Equal(new object[] { 0, 0, 1, 2 }, r.Output.Select(o => o.Properties["HeaderIndex"].Value));
        Assert.Equal("Received-SPF", r.Property(3, "Source"));
        Assert.Equal("fail", r.Property(3, "Result"));
        Assert.Null(r.Property(0, "Path"));
    }

    [Fact]
    public void Malformed_text_is_a_non_terminating_error_with_the_position()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("'example.com; spf=pass', 'example.com spf=pass', '' | ConvertFrom-AuthenticationResult");
        Assert.Null(r.Terminating);
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.ErrorIds, id => Assert.StartsWith("AuthenticationResultsSyntaxError,", id));
        Assert.Contains("position 12", r.Errors[0].Exception.Message);
        Assert.Single(r.Output);
    }

    [Fact]
    public void Binds_header_by_property_name()
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("[pscustomobject]@{ AuthenticationResults = 'mx.example.net; dmarc=fail header.from=example.com' } | ConvertFrom-AuthenticationResult").ThrowOnError();
        Assert.Equal("fail", r.Property(0, "Result"));
        Assert.Equal("example.com", ps.Run("([pscustomobject]@{ Value = 'mx; dmarc=fail header.from=example.com' } | ConvertFrom-AuthenticationResult).Properties['header.from']").Output[0].ToString());
    }

    [Fact]
    public void Default_view_shows_method_result_and_properties()
    {
        using var ps = new PowerShellSession();
        var text = ps.Format("ConvertFrom-AuthenticationResult 'mx.google.com; dkim=pass header.d=example.com header.s=sel'");
        Assert.Contains("AuthServId", text);
        Assert.Contains("mx.google.com", text);
        Assert.Contains("header.d=example.com header.s=sel", text);
    }
}

public sealed class AuthenticationResultsHelpTests
{
    [Theory]
    [InlineData("Get-AuthenticationResult")]
    [InlineData("ConvertFrom-AuthenticationResult")]
    [InlineData("Test-MailAuthentication")]
    public void Help_markdown_documents_the_cmdlet_and_every_parameter(string cmdlet)
    {
        var file = System.IO.Path.Combine(RepositoryPaths.Root, "docs", "cmdlets", cmdlet + ".md");
        Assert.True(File.Exists(file), file + " is missing");
        var help = File.ReadAllText(file);
        using var ps = new PowerShellSession();
        var r = ps.Run("(Get-Command $args[0]).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }", cmdlet).ThrowOnError();
        Assert.NotEmpty(r.Output);
        foreach (var parameter in r.Output.Select(o => o.ToString())) Assert.Contains("### -" + parameter + "\n", help.Replace("\r\n", "\n"));
        Assert.Contains("# " + cmdlet + "\n", help.Replace("\r\n", "\n"));
        Assert.Contains("## SYNOPSIS", help);
    }

    [Theory]
    [InlineData("Get-AuthenticationResult", "MailAuth.AuthenticationResults.AuthenticationResultEntry")]
    [InlineData("ConvertFrom-AuthenticationResult", "MailAuth.AuthenticationResults.AuthenticationResultEntry")]
    [InlineData("Test-MailAuthentication", "MailAuth.MessageAuthentication.MessageAuthenticationResult")]
    public void Cmdlet_declares_its_output_type(string cmdlet, string type)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run("(Get-Command $args[0]).OutputType.Name", cmdlet).ThrowOnError();
        Assert.Equal(type, Assert.Single(r.Output).ToString());
    }
}
