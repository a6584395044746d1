using System;
using System.IO;
using System.Linq;
using System.Reflection;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>
/// On PowerShell 7 MailAuth.Core and its dependencies live in their own AssemblyLoadContext, so another module's
/// copies of DnsClient or AWSSDK.Core (AWS.Tools pins assembly version 4.0.0.0 for every 4.x) neither break MailAuth
/// nor are broken by it. Each case runs in a fresh console-host process: a load context cannot be undone.
/// The other versions come from the NuGet cache (the test project downloads them with PackageDownload).
/// </summary>
[Collection(KnotDnsCollection.Name)]
public sealed class LoadIsolationTests
{
    private readonly KnotDnsServer _dns;

    public LoadIsolationTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    private static string PackageRoot => PwshProcess.NuGetPackageRoot;

    private static string OtherDnsClient => Path.Combine(PackageRoot, "dnsclient", "1.6.1", "lib", "netstandard2.0", "DnsClient.dll");
    private static string OtherAwsSdkCore => Path.Combine(PackageRoot, "awssdk.core", "4.0.3.3", "lib", "netstandard2.0", "AWSSDK.Core.dll");

    /// <summary>Lines naming the load context of MailAuth.Core and the file versions of DnsClient and AWSSDK.Core in it.</summary>
    private const string DescribeCoreContext = @"
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'MailAuth.Core' }
        $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core)
        'context ' + $context.Name
        $context.Assemblies | Where-Object { $_.GetName().Name -in 'DnsClient', 'AWSSDK.Core' } | ForEach-Object {
            'mailauth ' + $_.GetName().Name + ' ' + [System.Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).FileVersion }
        ";

    [Fact]
    public void Module_works_when_another_module_loaded_other_versions_first()
    {
        Assert.True(File.Exists(OtherDnsClient), OtherDnsClient);
        var r = PwshProcess.Command($@"
            [System.Reflection.Assembly]::LoadFrom('{OtherDnsClient}') | ForEach-Object {{ 'other ' + $_.GetName().Version }}
            [System.Reflection.Assembly]::LoadFrom('{OtherAwsSdkCore}') | ForEach-Object {{ 'other ' + $_.GetName().Version }}
            Import-Module ./MailAuth.psd1 -ErrorAction Stop
            'exchange ' + @(Get-MxRecord mx.test -Server '{_dns.Address}')[0].Exchange
            {DescribeCoreContext}");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("other 1.6.1.0", r.Lines);
        Assert.Contains("other 4.0.0.0", r.Lines);
        Assert.Contains("exchange mx1.mx.test", r.Lines);
        Assert.Contains("context MailAuth", r.Lines);
        Assert.Contains("mailauth DnsClient 1.8.0.0", r.Lines);
        Assert.Contains(r.Lines, l => l.StartsWith("mailauth AWSSDK.Core 4.0.102.", StringComparison.Ordinal));
    }

    [Fact]
    public void Another_module_can_load_other_versions_after_the_module()
    {
        var r = PwshProcess.Command($@"
            Import-Module ./MailAuth.psd1 -ErrorAction Stop
            'exchange ' + @(Get-MxRecord mx.test -Server '{_dns.Address}')[0].Exchange
            [System.Reflection.Assembly]::LoadFrom('{OtherDnsClient}') | ForEach-Object {{ 'other ' + $_.GetName().Version }}
            [System.Reflection.Assembly]::LoadFrom('{OtherAwsSdkCore}') | ForEach-Object {{ 'other ' + [System.Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).FileVersion }}
            'again ' + @(Get-MxRecord mx.test -Server '{_dns.Address}')[0].Exchange");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(new[] { "exchange mx1.mx.test", "other 1.6.1.0", "other 4.0.3.3", "again mx1.mx.test" }, r.Lines);
    }

    [Fact]
    public void Cmdlet_metadata_and_type_names_work_before_any_cmdlet_ran()
    {
        // OutputType names MailAuth.Core types: Get-Command and Get-Help need MailAuth.Core before any cmdlet runs.
        var r = PwshProcess.Command(@"
            Import-Module ./MailAuth.psd1 -ErrorAction Stop
            (Get-Command Get-MxRecord).OutputType[0].Name
            [MailAuth.Common.RecordStatus]::NotFound
            ([MailAuth.Common.RecordStatus]::NotFound).GetType().Assembly.GetName().Name");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(new[] { "MailAuth.Mx.MxRecordResult", "NotFound", "MailAuth.Core" }, r.Lines);
    }

    [Fact]
    public void Framework_assemblies_stay_in_the_default_context()
    {
        var r = PwshProcess.Command(@"
            Import-Module ./MailAuth.psd1 -ErrorAction Stop
            $null = Get-Command Get-MxRecord -Syntax
            $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'MailAuth.Core' }
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core).Assemblies | ForEach-Object { $_.GetName().Name }");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("MailAuth.Core", r.Lines);
        Assert.Contains("MimeKit", r.Lines);
        // What AWSSDK.Core loads by name for STS and SSO profiles is found in its own context, beside it.
        foreach (var name in DependencyClosureTests.LoadedByNameByAwsSdkCore) Assert.Contains(name, r.Lines);
        // System.Memory, System.Text.Json, ... are the runtime's (a second Span<T> would not be the runtime's Span<T>);
        // Microsoft.Bcl.* polyfills that the runtime does not carry are private like any other dependency.
        Assert.DoesNotContain(r.Lines, n => n.StartsWith("System.", StringComparison.Ordinal));
    }
}
