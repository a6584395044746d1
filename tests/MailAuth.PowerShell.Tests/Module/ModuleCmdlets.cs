using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>
/// What the module exports and what its manifest lists, read once through the hosted engine (for the
/// theories' case lists) and from the manifest's data (parsed, not executed).
/// </summary>
public static class ModuleCmdlets
{
    private static readonly Lazy<IReadOnlyList<string>> ExportedLazy = new Lazy<IReadOnlyList<string>>(() =>
    {
        using var ps = new PowerShellSession();
        return ps.Run("(Get-Module MailAuth).ExportedCmdlets.Keys").ThrowOnError()
            .Output.Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToList();
    });

    /// <summary>The cmdlets Import-Module ./MailAuth.psd1 exports.</summary>
    public static IReadOnlyList<string> Exported => ExportedLazy.Value;

    /// <summary>For [MemberData]: one case per exported cmdlet.</summary>
    public static TheoryData<string> ExportedCases()
    {
        var data = new TheoryData<string>();
        foreach (var name in Exported) data.Add(name);
        return data;
    }

    /// <summary>The manifest's data (MailAuth.psd1 is a constant hashtable).</summary>
    public static Hashtable Manifest()
    {
        var ast = Parser.ParseFile(PowerShellSession.ManifestPath, out _, out var errors);
        Assert.Empty(errors);
        var table = ast.Find(a => a is HashtableAst, false) as HashtableAst;
        Assert.NotNull(table);
        return (Hashtable)table.SafeGetValue();
    }

    /// <summary>A manifest entry that is a list of strings.</summary>
    public static IReadOnlyList<string> ManifestList(string key)
    {
        var value = Manifest()[key];
        return value switch
        {
            null => Array.Empty<string>(),
            string s => new[] { s },
            object[] items => items.Select(i => i.ToString()).ToList(),
            _ => throw new InvalidOperationException($"{key} in MailAuth.psd1 is a {value.GetType().Name}"),
        };
    }

    /// <summary>Common and optional common parameters (-Verbose, -WhatIf, ...), which help and surface rules leave out.</summary>
    public static readonly ISet<string> CommonParameters = new HashSet<string>(
        System.Management.Automation.Cmdlet.CommonParameters.Concat(System.Management.Automation.Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);

    public static string ModuleBin => Path.Combine(RepositoryPaths.Root, "bin");
}
