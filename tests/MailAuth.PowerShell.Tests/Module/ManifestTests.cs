using System;
using System.IO;
using System.Linq;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>MailAuth.psd1 as PowerShell reads it: valid, both editions, explicit exports, and in step with the cmdlets.</summary>
public sealed class ManifestTests
{
    [Fact]
    public void Test_ModuleManifest_accepts_the_manifest()
    {
        using var ps = new PowerShellSession(importModule: false);
        var r = ps.Run("Test-ModuleManifest -Path $args[0]", PowerShellSession.ManifestPath).ThrowOnError();
        var module = Assert.Single(r.Output);
        Assert.Equal("MailAuth", module.Properties["Name"].Value);
        Assert.Equal(new Version(5, 1), module.Properties["PowerShellVersion"].Value);
    }

    [Fact]
    public void Manifest_targets_Desktop_and_Core_from_PowerShell_5_1()
    {
        Assert.Equal(new[] { "Core", "Desktop" }, ModuleCmdlets.ManifestList("CompatiblePSEditions").OrderBy(e => e, StringComparer.Ordinal));
        Assert.Equal("5.1", ModuleCmdlets.Manifest()["PowerShellVersion"]);
    }

    [Fact]
    public void Exports_are_explicit_lists_without_wildcards()
    {
        var cmdlets = ModuleCmdlets.ManifestList("CmdletsToExport");
        Assert.NotEmpty(cmdlets);
        Assert.DoesNotContain(cmdlets, c => c.IndexOfAny(new[] { '*', '?', '[' }) >= 0);
        Assert.Equal(cmdlets.Count, cmdlets.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
        {
            Assert.True(ModuleCmdlets.Manifest().ContainsKey(key), key + " must be present (an absent entry exports everything)");
            Assert.DoesNotContain(ModuleCmdlets.ManifestList(key), c => c.Contains('*'));
        }
    }

    [Fact]
    public void Every_format_file_the_manifest_loads_exists()
    {
        foreach (var list in new[] { "FormatsToProcess", "TypesToProcess" })
        {
            var files = ModuleCmdlets.ManifestList(list);
            Assert.NotEmpty(files);
            Assert.All(files, f => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, f)), f + " is listed in " + list + " but was not built"));
        }
    }

    /// <summary>
    /// One format file per core concept: Formats/Spf.Format.ps1xml holds the views of MailAuth.Spf types and
    /// nothing else, so a reader looking for a view knows where it is; and every file is loaded.
    /// </summary>
    [Fact]
    public void Each_format_file_holds_the_views_of_one_core_folder_and_is_loaded()
    {
        var listed = ModuleCmdlets.ManifestList("FormatsToProcess");
        var sources = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src", "MailAuth.PowerShell", "Formats"), "*.Format.ps1xml");
        Assert.NotEmpty(sources);
        foreach (var file in sources)
        {
            var name = Path.GetFileName(file);
            var concept = name.Substring(0, name.Length - ".Format.ps1xml".Length);
            Assert.Contains("bin/Formats/" + name, listed);
            Assert.True(Directory.Exists(Path.Combine(RepositoryPaths.Root, "src", "MailAuth.Core", concept)), name + " is not named for a core folder");
            var types = System.Xml.Linq.XDocument.Load(file).Descendants("TypeName").Select(t => t.Value.Trim()).Distinct().ToList();
            Assert.NotEmpty(types);
            Assert.All(types, t => Assert.StartsWith("MailAuth." + concept + ".", t));
        }
    }

    [Fact]
    public void Every_implemented_cmdlet_is_listed()
    {
        using var ps = new PowerShellSession();
        // The nested binary module exports every cmdlet the assembly implements; the manifest filters them.
        var implemented = ps.Run("(Get-Module MailAuth).NestedModules | ForEach-Object { $_.ExportedCmdlets.Keys }").ThrowOnError()
            .Output.Select(o => o.ToString()).ToList();
        Assert.Contains("Get-MxRecord", implemented);
        var listed = ModuleCmdlets.ManifestList("CmdletsToExport");
        Assert.Empty(implemented.Except(listed, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(implemented.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), ModuleCmdlets.Exported.OrderBy(n => n, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Fails until every planned cmdlet of MailAuth.psd1 exists (on the infrastructure branch alone only Get-MxRecord does).</summary>
    [Fact]
    public void Every_listed_cmdlet_is_implemented()
    {
        var missing = ModuleCmdlets.ManifestList("CmdletsToExport").Except(ModuleCmdlets.Exported, StringComparer.OrdinalIgnoreCase).ToList();
        Assert.True(missing.Count == 0, "Listed in CmdletsToExport but not implemented: " + string.Join(", ", missing));
    }
}
