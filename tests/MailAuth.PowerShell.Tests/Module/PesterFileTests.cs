using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>
/// tests/Pester is the spec of every cmdlet (build.ps1 -Task Test runs it under real pwsh and Pester 5.7.1 and
/// 6.2.0); this keeps it complete: every exported cmdlet has a Describe block named for it.
/// </summary>
public sealed class PesterFileTests
{
    public static string PesterDirectory => Path.Combine(RepositoryPaths.Root, "tests", "Pester");

    /// <summary>The first argument of every Describe in the Pester files, e.g. 'Get-SpfRecord'.</summary>
    private static HashSet<string> DescribedNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.GetFiles(PesterDirectory, "*.Tests.ps1"))
        {
            var ast = Parser.ParseFile(file, out _, out var errors);
            Assert.True(errors.Length == 0, file + ": " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));
            foreach (var command in ast.FindAll(a => a is CommandAst c && c.GetCommandName() == "Describe", true).Cast<CommandAst>())
            {
                if (command.CommandElements.Count > 1 && command.CommandElements[1] is StringConstantExpressionAst name)
                    names.Add(name.Value.Split(' ')[0]);
            }
        }
        return names;
    }

    [Fact]
    public void Every_exported_cmdlet_has_a_Describe_in_the_Pester_suite()
    {
        var described = DescribedNames();
        var missing = ModuleCmdlets.Exported.Where(c => !described.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "No Describe in tests/Pester for: " + string.Join(", ", missing));
    }
}
