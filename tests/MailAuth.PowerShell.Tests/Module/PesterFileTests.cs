using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.PowerShell.Tests.Module;

/// <summary>
/// tests/Pester/*.Tests.ps1 are for people with pwsh and Pester; here (no Pester) each is at least
/// parsed by the engine's parser, one case per file.
/// </summary>
public sealed class PesterFileTests
{
    public static string PesterDirectory => Path.Combine(RepositoryPaths.Root, "tests", "Pester");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(PesterDirectory, "*.Tests.ps1").OrderBy(f => f)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Pester_file_parses(string file)
    {
        var ast = Parser.ParseFile(Path.Combine(PesterDirectory, file), out _, out var errors);
        Assert.True(errors.Length == 0, file + ": " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));
        // A Pester 5 file: at least one Describe block with an It in it.
        var commands = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Select(c => c.GetCommandName()).ToList();
        Assert.Contains("Describe", commands);
        Assert.Contains("It", commands);
    }

    [Fact]
    public void The_module_pester_file_is_there() => Assert.True(File.Exists(Path.Combine(PesterDirectory, "Module.Tests.ps1")));
}
