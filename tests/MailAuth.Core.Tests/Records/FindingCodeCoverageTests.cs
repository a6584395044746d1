using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Records;

/// <summary>
/// Finding codes are public interface: users filter on them and other checks depend on them. Every code the core can emit
/// must be produced by at least one test that names it, so a code cannot be renamed, dropped or left unreachable unnoticed.
/// </summary>
public sealed class FindingCodeCoverageTests
{
    // Finding.Error("Code", ...), Finding.Warning("Code", ...), Finding.Info("Code", ...) and const string X = "Code" in *FindingCode*.cs.
    private static readonly Regex FactoryCall = new Regex(@"Finding\.(?:Error|Warning|Info)\(\s*""(?<code>[A-Za-z0-9]+)""", RegexOptions.Compiled);
    private static readonly Regex CodeConstant = new Regex(@"const string (?<name>[A-Za-z0-9]+) = ""(?<code>[A-Za-z0-9]+)""", RegexOptions.Compiled);

    [Fact]
    public void Every_finding_code_the_core_emits_is_named_by_a_test()
    {
        var core = Path.Combine(RepositoryPaths.Root, "src", "MailAuth.Core");
        var sources = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .ToList();

        var codes = sources.SelectMany(p => FactoryCall.Matches(File.ReadAllText(p)).Cast<Match>().Select(m => (Code: m.Groups["code"].Value, Alias: (string)null)))
            .Concat(sources.Where(p => Path.GetFileName(p).Contains("FindingCode"))
                .SelectMany(p => CodeConstant.Matches(File.ReadAllText(p)).Cast<Match>()
                    .Select(m => (Code: m.Groups["code"].Value, Alias: Path.GetFileNameWithoutExtension(p) + "." + m.Groups["name"].Value))))
            .Distinct()
            .ToList();
        Assert.True(codes.Count > 60, $"only {codes.Count} finding codes found: the patterns no longer match the core's code");

        var testText = string.Join("\n", Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "tests"), "*.*", SearchOption.AllDirectories)
            .Where(p => (p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".ps1", StringComparison.Ordinal))
                && !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                && !p.EndsWith(nameof(FindingCodeCoverageTests) + ".cs", StringComparison.Ordinal))
            .Select(File.ReadAllText));

        var untested = codes
            .Where(c => !testText.Contains("\"" + c.Code + "\"") && !testText.Contains("'" + c.Code + "'") && (c.Alias == null || !Regex.IsMatch(testText, Regex.Escape(c.Alias) + @"\b")))
            .Select(c => c.Code)
            .Distinct()
            .OrderBy(c => c, StringComparer.Ordinal)
            .ToList();
        Assert.True(untested.Count == 0, "Finding codes no test names: " + string.Join(", ", untested));
    }
}
