using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MailAuth.AuthenticationResults;

namespace MailAuth.Bench.AuthenticationResults;

/// <summary>
/// Authentication-Results headers parsed per second: MailAuth's parser against python3-authres, on the same
/// headers (the Gmail headers of seed 000 and the ported authres doctest headers) in one run.
/// </summary>
public sealed class AuthenticationResultsParseBenchmark : IBenchmark
{
    public string Name => "authres-parse";

    public string Description => "Authentication-Results headers parsed per second, MailAuth vs python3-authres (same headers, one run)";

    public BenchmarkReport Run(BenchmarkContext context)
    {
        var headers = LoadHeaders(context.RepositoryRoot);
        var file = Path.Combine(context.ScratchDirectory, "authres-headers.txt");
        File.WriteAllLines(file, headers);
        context.Output.WriteLine($"   {headers.Length} distinct headers, {headers.Sum(h => h.Length) / headers.Length} characters on average");

        var peerRounds = context.Scaled(300);
        var (peerCount, peerSeconds) = RunPeer(context, file, peerRounds);

        var rounds = context.Scaled(20000);
        foreach (var h in headers) AuthenticationResultsParser.Parse(h); // warm up
        var watch = Stopwatch.StartNew();
        var count = 0;
        var results = 0;
        for (var i = 0; i < rounds; i++)
        {
            foreach (var h in headers)
            {
                results += AuthenticationResultsParser.Parse(h).Results.Count;
                count++;
            }
        }
        watch.Stop();

        var report = new BenchmarkReport(Name);
        report.Add("headers parsed / s", "headers/s", count / watch.Elapsed.TotalSeconds, "authres", peerCount / peerSeconds, higherIsBetter: true,
            note: $"{results / rounds} results per round");
        return report;
    }

    /// <summary>The unfolded header fields from tests/data/authres (seeds.txt and the doctest headers).</summary>
    private static string[] LoadHeaders(string root)
    {
        var seeds = File.ReadAllText(Path.Combine(root, "tests", "data", "authres", "seeds.txt"));
        var fields = Regex.Matches(seeds, @"^Authentication-Results:.*(?:\r?\n[ \t].*)*", RegexOptions.Multiline)
            .Cast<Match>()
            .Select(m => Regex.Replace(m.Value, @"\r?\n[ \t]+", " "));
        var doctests = File.ReadLines(Path.Combine(root, "tests", "data", "authres", "authres-doctests.yaml"))
            .TakeWhile(l => l != "errors:") // the parse section only: the error cases are meant to fail
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("header: 'Authentication-Results:", StringComparison.Ordinal))
            .Select(l => l.Substring("header: '".Length, l.Length - "header: '".Length - 1).Replace("''", "'"));
        return fields.Concat(doctests).Distinct().ToArray();
    }

    private static (double Count, double Seconds) RunPeer(BenchmarkContext context, string file, int rounds)
    {
        var script = Path.Combine(context.RepositoryRoot, "bench", "MailAuth.Bench", "AuthenticationResults", "authres_parse.py");
        var psi = new ProcessStartInfo(BenchmarkContext.DebianPython)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(file);
        psi.ArgumentList.Add(rounds.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("python3-authres failed: " + stderr);
        var parts = stdout.Trim().Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
