using System;
using System.Linq;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>
/// Every exported cmdlet's help, read through Get-Help as a user would: the markdown in
/// docs/cmdlets/&lt;Verb-Noun&gt;.md rendered to MAML by the build.
/// </summary>
public sealed class HelpCoverageTests
{
    public static TheoryData<string> Cmdlets() => ModuleCmdlets.ExportedCases();

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlet_has_synopsis_description_and_an_example(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run(@"
            $h = Get-Help -Name $args[0] -Full
            [pscustomobject]@{
                Synopsis    = [string]$h.Synopsis
                Description = (@($h.description) | ForEach-Object { $_.Text }) -join ' '
                Examples    = @($h.examples.example | Where-Object { $_.code }).Count
                Syntax      = @($h.syntax.syntaxItem).Count
            }", cmdlet).ThrowOnError();
        var synopsis = (string)r.Property(0, "Synopsis");
        // Without a help file, Get-Help makes up a synopsis from the syntax ("Get-X [-A] <T> ...").
        Assert.False(string.IsNullOrWhiteSpace(synopsis), cmdlet + " has no synopsis: write docs/cmdlets/" + cmdlet + ".md");
        Assert.False(synopsis.TrimStart().StartsWith(cmdlet, StringComparison.OrdinalIgnoreCase), cmdlet + " has no help file: its synopsis is the syntax");
        Assert.False(string.IsNullOrWhiteSpace((string)r.Property(0, "Description")), cmdlet + " has no description");
        Assert.True((int)r.Property(0, "Examples") >= 1, cmdlet + " has no example");
        Assert.True((int)r.Property(0, "Syntax") >= 1, cmdlet + " has no syntax in its help");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_parameter_has_a_description(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var parameters = ps.Run("(Get-Command -Name $args[0]).Parameters.Keys", cmdlet).ThrowOnError()
            .Output.Select(o => o.ToString()).Where(p => !ModuleCmdlets.CommonParameters.Contains(p)).ToList();
        Assert.NotEmpty(parameters);
        var undocumented = parameters.Where(p =>
        {
            var r = ps.Run("(@((Get-Help -Name $args[0] -Parameter $args[1]).description) | ForEach-Object { $_.Text }) -join ' '", cmdlet, p);
            return r.Errors.Count > 0 || r.Output.Count == 0 || string.IsNullOrWhiteSpace(r.Output[0]?.ToString());
        }).ToList();
        Assert.True(undocumented.Count == 0, $"{cmdlet}: no help for -{string.Join(", -", undocumented)}");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_documents_no_parameter_the_cmdlet_lacks(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var r = ps.Run(@"
            $real = (Get-Command -Name $args[0]).Parameters.Keys
            @((Get-Help -Name $args[0] -Full).parameters.parameter) | ForEach-Object { $_.name } | Where-Object { $real -notcontains $_ }", cmdlet).ThrowOnError();
        Assert.True(r.Output.Count == 0, $"{cmdlet}'s help documents parameters it does not have: {string.Join(", ", r.Output)}");
    }

    /// <summary>
    /// The SYNTAX of the help (written by hand in the markdown) says what the cmdlet really takes: per parameter set,
    /// the same parameters, mandatory or not, positional or not. -WhatIf/-Confirm and common parameters left out.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_syntax_matches_the_parameter_sets(string cmdlet)
    {
        using var ps = new PowerShellSession();
        var help = ps.Run(@"
            @((Get-Help -Name $args[0] -Full).syntax.syntaxItem) | ForEach-Object {
                (@($_.parameter) | Where-Object { $_ } | ForEach-Object {
                    $_.name + ':' + ($_.required -eq 'true') + ':' + ($_.position -ne 'named') }) -join ' ' }", cmdlet).ThrowOnError()
            .Output.Select(o => Normalize(o.ToString())).OrderBy(l => l, StringComparer.Ordinal).ToList();
        var real = ps.Run(@"
            (Get-Command -Name $args[0]).ParameterSets | ForEach-Object {
                (@($_.Parameters) | ForEach-Object {
                    $_.Name + ':' + $_.IsMandatory + ':' + ($_.Position -ge 0) }) -join ' ' }", cmdlet).ThrowOnError()
            .Output.Select(o => Normalize(o.ToString())).OrderBy(l => l, StringComparer.Ordinal).ToList();
        Assert.True(real.SequenceEqual(help),
            $"{cmdlet}: the SYNTAX in docs/cmdlets/{cmdlet}.md differs from the cmdlet (name:mandatory:positional per set){System.Environment.NewLine}" +
            $"help: {string.Join(" | ", help)}{System.Environment.NewLine}real: {string.Join(" | ", real)}");
    }

    private static string Normalize(string syntax) => string.Join(" ", syntax.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Where(t => !ModuleCmdlets.CommonParameters.Contains(t.Split(':')[0]))
        .Select(t => t.ToLowerInvariant())
        .OrderBy(t => t, StringComparer.Ordinal));

    [Fact]
    public void Get_help_shows_the_rendered_help_of_get_mxrecord()
    {
        using var ps = new PowerShellSession();
        var full = ps.Format("Get-Help Get-MxRecord -Full");
        Assert.Contains("Gets the MX records of a domain", full);
        Assert.Contains("Get-MxRecord [-Domain] <String[]> [-Server <String[]>]", full);
        Assert.Contains("Accept pipeline input?       True (ByPropertyName, ByValue)", full);
        Assert.Contains("Default value                3", full);
        Assert.Contains("MailAuth.Mx.MxRecordResult", full);
        Assert.Contains("Domain names, or objects with a Domain, Name or DomainName property.", full);
        Assert.Contains("InvalidDomainName", full);
        Assert.Contains("https://www.rfc-editor.org/rfc/rfc7505", full);

        var examples = ps.Format("Get-Help Get-MxRecord -Examples");
        Assert.Contains("Example 2: Several domains through the pipeline", examples);
        Assert.Contains("Get-MxRecord -Server 192.0.2.53", examples);

        var r = ps.Run("Get-Help Get-MxRecord -Parameter Server").ThrowOnError();
        var server = Assert.Single(r.Output);
        Assert.Equal("Server", server.Properties["name"].Value?.ToString());
        Assert.Equal("false", server.Properties["required"].Value?.ToString());
        Assert.Equal("The system resolver", server.Properties["defaultValue"].Value?.ToString());
        Assert.Contains("[IPv6]:port", ps.Run("(Get-Help Get-MxRecord -Parameter Server).description.Text").Output[0].ToString());
    }
}
