using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Common;

/// <summary>
/// Finding codes and error ids are public interface: users filter on them and other checks depend on them. Every code the core can emit
/// must be produced by at least one test that names it, so a code cannot be renamed, dropped or left unreachable unnoticed.
/// </summary>
public sealed class StableIdentifierCoverageTests
{
    // Finding.Error("Code", ...), Finding.Warning("Code", ...), Finding.Info("Code", ...) and const string X = "Code" in *FindingCode*.cs.
    private static readonly Regex FactoryCall = new Regex(@"Finding\.(?:Error|Warning|Info)\(\s*""(?<code>[A-Za-z0-9]+)""", RegexOptions.Compiled);
    private static readonly Regex CodeConstant = new Regex(@"const string (?<name>[A-Za-z0-9]+) = ""(?<code>[A-Za-z0-9]+)""", RegexOptions.Compiled);

    // const string SomethingErrorId = "Value" in any file under src/.
    private static readonly Regex ErrorIdConstant = new Regex(@"const string (?<name>[A-Za-z0-9]*ErrorId) = ""(?<code>[A-Za-z0-9]+)""", RegexOptions.Compiled);

    /// <summary>Error ids no test can reach through input, each with the reason.</summary>
    private static readonly string[] UnreachableErrorIds =
    {
        "MailDomainTestFailed", // Test-MailDomain's catch-all for an unexpected exception in the core; no input produces one
    };

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*.*", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
                && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar));

    private static string TestText() => string.Join("\n", SourceFiles("tests")
        .Where(p => (p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".ps1", StringComparison.Ordinal))
            && !p.EndsWith(nameof(StableIdentifierCoverageTests) + ".cs", StringComparison.Ordinal))
        .Select(File.ReadAllText));

    private static bool Named(string testText, string code, string alias) =>
        testText.Contains("\"" + code + "\"") || testText.Contains("'" + code + "'") || testText.Contains("\"" + code + ",")
        || testText.Contains("'" + code + ",") // Pester: FullyQualifiedErrorId | Should -BeLike 'Code,*'
        || (alias != null && Regex.IsMatch(testText, Regex.Escape(alias) + @"\b"));

    [Fact]
    public void Every_error_id_is_named_by_a_test()
    {
        var ids = SourceFiles("src").Where(p => p.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(p => ErrorIdConstant.Matches(File.ReadAllText(p)).Cast<Match>()
                .Select(m => (Code: m.Groups["code"].Value, Alias: Path.GetFileNameWithoutExtension(p) + "." + m.Groups["name"].Value)))
            .ToList();
        Assert.True(ids.Count > 30, $"only {ids.Count} error ids found: the pattern no longer matches the code");

        var testText = TestText();
        var untested = ids.Where(i => !UnreachableErrorIds.Contains(i.Code) && !Named(testText, i.Code, i.Alias))
            .Select(i => i.Code).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();
        Assert.True(untested.Count == 0, "Error ids no test names: " + string.Join(", ", untested));
        Assert.All(UnreachableErrorIds, id => Assert.Contains(ids, i => i.Code == id)); // the list does not outlive the code
    }

    [Fact]
    public void Every_finding_code_the_core_emits_is_named_by_a_test()
    {
        var sources = SourceFiles(Path.Combine("src", "MailAuth.Core")).Where(p => p.EndsWith(".cs", StringComparison.Ordinal)).ToList();

        var codes = sources.SelectMany(p => FactoryCall.Matches(File.ReadAllText(p)).Cast<Match>().Select(m => (Code: m.Groups["code"].Value, Alias: (string)null)))
            .Concat(sources.Where(p => Path.GetFileName(p).Contains("FindingCode"))
                .SelectMany(p => CodeConstant.Matches(File.ReadAllText(p)).Cast<Match>()
                    .Select(m => (Code: m.Groups["code"].Value, Alias: Path.GetFileNameWithoutExtension(p) + "." + m.Groups["name"].Value))))
            .Distinct()
            .ToList();
        Assert.True(codes.Count > 60, $"only {codes.Count} finding codes found: the patterns no longer match the core's code");

        var testText = TestText();

        var untested = codes
            .Where(c => !Named(testText, c.Code, c.Alias))
            .Select(c => c.Code)
            .Distinct()
            .OrderBy(c => c, StringComparer.Ordinal)
            .ToList();
        Assert.True(untested.Count == 0, "Finding codes no test names: " + string.Join(", ", untested));
    }
}
