using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using MailAuth.Dmarc;
using MailAuth.Tests.Infrastructure;
using Xunit;

namespace MailAuth.Tests.Dmarc;

/// <summary>
/// Cross-checks the Public Suffix List algorithm against libpsl (Debian libpsl5, the library curl and
/// wget use), loading the same snapshot, on names derived from every ASCII rule of the list.
/// </summary>
public sealed class PublicSuffixListLibpslTests
{
    [Fact]
    public async System.Threading.Tasks.Task Registrable_domains_match_libpsl_for_every_rule()
    {
        var listPath = Path.Combine(RepositoryPaths.Root, "src", "MailAuth.Core", "Dmarc", "public_suffix_list.dat");
        var names = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(listPath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//") || line.Any(c => c > 0x7f)) continue;
            var rule = line.TrimStart('!');
            if (rule.StartsWith("*.")) rule = "w." + rule.Substring(2);
            names.Add(rule);
            names.Add("x." + rule);
            names.Add("y.x." + rule);
        }
        names.Add("example.unlistedtld");
        names.Add("unlistedtld");

        var psi = new ProcessStartInfo("/usr/bin/python3", $"\"{RepositoryPaths.DataFile("psl", "libpsl_registrable.py")}\" \"{listPath}\"")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var reading = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        foreach (var name in names) process.StandardInput.WriteLine(name);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(120000), "libpsl did not answer in time");
        var errorText = await errors;
        Assert.True(process.ExitCode == 0, "libpsl_registrable.py failed: " + errorText);

        var list = PublicSuffixList.Load(listPath);
        var mismatches = new List<string>();
        int compared = 0;
        foreach (var line in (await reading).Split('\n').Where(l => l.Length > 0))
        {
            var parts = line.Split('\t');
            var expected = parts[1] == "-" ? null : parts[1];
            var actual = list.GetRegistrableDomain(parts[0]);
            compared++;
            if (expected != actual) mismatches.Add($"{parts[0]}: libpsl {expected ?? "(public suffix)"}, MailAuth {actual ?? "(public suffix)"}");
        }
        Assert.Equal(names.Count, compared);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(30)));
    }
}
