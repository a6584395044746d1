using System;
using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>build.ps1 -Task Package, run in real pwsh as a user would.</summary>
[Collection(KnotDnsCollection.Name)]
public sealed class PackageTests : IDisposable
{
    private readonly KnotDnsServer _dns;
    private readonly string _output = Path.Combine(Path.GetTempPath(), "mailauth-package-" + Guid.NewGuid().ToString("N"));

    public PackageTests(KnotDnsServerFixture fixture) => _dns = fixture.Server;

    [Fact]
    public void Package_task_lays_out_a_module_folder_that_imports_and_works()
    {
        // -NoBuild: the test run has built bin/ already; rebuilding it here would rewrite files other tests are loading.
        var run = PwshProcess.Run(new[] { "-File", "build.ps1", "-Task", "Package", "-NoBuild", "-OutputPath", _output });
        Assert.True(run.ExitCode == 0, run.ToString());

        var folder = Path.Combine(_output, "MailAuth", "0.1.0");
        Assert.True(File.Exists(Path.Combine(folder, "MailAuth.psd1")), run.ToString());
        foreach (var file in new[] { "LICENSE", "THIRD-PARTY-NOTICES", "bin/MailAuth.PowerShell.dll", "bin/Dependencies/MailAuth.Core.dll",
                     "bin/Dependencies/DnsClient.dll", "bin/en-US/MailAuth.PowerShell.dll-Help.xml", "bin/Formats/Common.Format.ps1xml", "bin/Types/MailAuth.Types.ps1xml", "en-US/about_MailAuth.help.txt" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file + " is missing from the package");
        }
        var dlls = Directory.GetFiles(folder, "*.dll", SearchOption.AllDirectories);
        Assert.DoesNotContain(dlls, f => Path.GetFileName(f) == "System.Management.Automation.dll");
        Assert.DoesNotContain(dlls, DependencyClosureTests.IsReferenceAssembly);

        var manifest = Path.Combine(folder, "MailAuth.psd1");
        var use = PwshProcess.Command(
            $"Import-Module '{manifest}' -ErrorAction Stop; (Get-Module MailAuth).ModuleBase; (Get-Help Get-MxRecord).Synopsis; " +
            $"(Get-MxRecord mx.test -Server '{_dns.Address}')[0].Exchange");
        Assert.True(use.ExitCode == 0, use.ToString());
        Assert.Equal(new[] { folder, "Gets the MX records of a domain and the addresses of each exchange.", "mx1.mx.test" }, use.Lines);
    }

    [Fact]
    public void Build_script_rejects_an_unknown_task()
    {
        var run = PwshProcess.Run(new[] { "-File", "build.ps1", "-Task", "Deploy" });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Deploy", run.Error);
    }

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, true);
    }
}
