using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MailAuth.Dkim;
using MailAuth.Dns;

namespace MailAuth.Bench.Dkim;

/// <summary>
/// DKIM verifications per second: MailAuth's DkimSignatureVerifier (keys from an in-memory resolver) against
/// dkimpy (Debian python3-dkim, keys through its dnsfunc= argument), on the same dkimpy-signed messages:
/// RSA-2048 and Ed25519, 4 KB and 1 MB bodies, relaxed/relaxed. Target: at least 20 times dkimpy. Both sides warm up
/// and measure by the same time-based rule; each row says the time per verification of both and what MailAuth allocates.
/// </summary>
public sealed class DkimVerifyBenchmark : IBenchmark
{
    public string Name => "dkim-verify";

    public string Description => "DKIM verifications/s, RSA-2048 and Ed25519, 4 KB and 1 MB bodies, MailAuth vs dkimpy; target >= 20x";

    public BenchmarkReport Run(BenchmarkContext context)
    {
        var report = new BenchmarkReport(Name);
        var zone = File.ReadAllLines(Path.Combine(context.RepositoryRoot, "tests", "data", "zones", "dkim.test.zone"));
        foreach (var (selector, keyFile, algorithm, label) in new[]
        {
            ("rsa2048", "rsa2048.key", "rsa-sha256", "RSA-2048"),
            ("ed25519", "ed25519.seed", "ed25519-sha256", "Ed25519"),
        })
        {
            var keyName = $"{selector}._domainkey.dkim.test";
            var record = KeyRecord(zone, selector);
            var resolver = new InMemoryResolver().AddTxt(keyName, record);
            var recordFile = Path.Combine(context.ScratchDirectory, selector + ".record");
            File.WriteAllText(recordFile, string.Concat(record));

            foreach (var (size, label2) in new[] { (4 * 1024, "4 KB"), (1024 * 1024, "1 MB") })
            {
                var messageFile = Path.Combine(context.ScratchDirectory, $"dkim-{selector}-{size}.eml");
                File.WriteAllBytes(messageFile, Sign(context, Message(size), keyFile, selector, algorithm));
                var message = File.ReadAllBytes(messageFile);

                var verifier = new DkimSignatureVerifier(resolver);
                var first = verifier.VerifyAsync(message).GetAwaiter().GetResult().Single();
                if (first.Result != DkimResult.Pass) throw new InvalidOperationException($"MailAuth does not verify the {label} {label2} message: {first.Reason}");
                var ours = Measure(() =>
                {
                    if (verifier.VerifyAsync(message).GetAwaiter().GetResult()[0].Result != DkimResult.Pass)
                        throw new InvalidOperationException("verification failed in the loop");
                }, WarmUp(context), Duration(context));

                var peer = RunDkimpy(context, messageFile, keyName, recordFile);
                var note = string.Format(CultureInfo.InvariantCulture, "{0:N1} us vs {1:N1} us per verification; MailAuth allocates {2:N0} B per verification",
                    1e6 / ours.PerSecond, 1e6 / peer, ours.AllocatedBytes);
                report.Add($"verify {label}, {label2} body", "verif/s", ours.PerSecond, "dkimpy", peer, higherIsBetter: true, target: 20, note: note);
                context.Output.WriteLine(report.Rows.Last().Measure + string.Format(CultureInfo.InvariantCulture,
                    ": MailAuth {0:N0}/s ({1:N1} us, {2:N0} B allocated, {3:N0} timed), dkimpy {4:N1}/s ({5:N1} us)",
                    ours.PerSecond, 1e6 / ours.PerSecond, ours.AllocatedBytes, ours.Iterations, peer, 1e6 / peer));
            }
        }
        return report;
    }

    /// <summary>
    /// Both sides follow one rule: verify untimed for the warm-up time (so the JIT's tiers, and CPython's caches, have
    /// settled), then verify for at least the measuring time and divide. Allocations are counted over the timed loop.
    /// </summary>
    private static (double PerSecond, long AllocatedBytes, long Iterations) Measure(Action verify, TimeSpan warmUp, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmUp) verify();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long iterations = 0;
        clock.Restart();
        do
        {
            verify();
            iterations++;
        }
        while (clock.Elapsed < duration);
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return (iterations / clock.Elapsed.TotalSeconds, allocated / iterations, iterations);
    }

    /// <summary>2 s of warm-up and 3 s of measuring per side and case; --quick scales both down.</summary>
    private static TimeSpan WarmUp(BenchmarkContext context) => TimeSpan.FromSeconds(Math.Max(0.1, 2 * context.Scale));

    private static TimeSpan Duration(BenchmarkContext context) => TimeSpan.FromSeconds(Math.Max(0.2, 3 * context.Scale));

    private static string[] KeyRecord(string[] zone, string selector)
    {
        var line = zone.First(l => l.StartsWith(selector + "._domainkey ", StringComparison.Ordinal));
        return Regex.Matches(line, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();
    }

    /// <summary>A plain-text message whose body is about <paramref name="size"/> bytes of 76-character lines, some with trailing and inner whitespace runs.</summary>
    private static byte[] Message(int size)
    {
        var sb = new StringBuilder();
        sb.Append("From: Alice <alice@dkim.test>\r\nTo: Bob <bob@example.net>\r\nSubject: benchmark message\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bench@dkim.test>\r\n\r\n");
        int start = sb.Length;
        int line = 0;
        while (sb.Length - start < size)
        {
            sb.Append("Lorem ipsum dolor sit amet,  consectetur adipiscing elit, sed do eiusmod ");
            sb.Append(line++ % 5 == 0 ? "  \r\n" : "\r\n");
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static byte[] Sign(BenchmarkContext context, byte[] message, string keyFile, string selector, string algorithm)
    {
        var tool = Path.Combine(context.RepositoryRoot, "tests", "data", "dkim", "dkimpy_tool.py");
        var key = Path.Combine(context.RepositoryRoot, "tests", "data", "dkim", keyFile);
        return RunPython($"\"{tool}\" sign \"{key}\" {selector} dkim.test relaxed/relaxed {algorithm}", message);
    }

    private static double RunDkimpy(BenchmarkContext context, string messageFile, string keyName, string recordFile)
    {
        var script = Path.Combine(context.RepositoryRoot, "bench", "MailAuth.Bench", "Dkim", "dkimpy_verify_loop.py");
        var seconds = string.Format(CultureInfo.InvariantCulture, "{0} {1}", WarmUp(context).TotalSeconds, Duration(context).TotalSeconds);
        var output = Encoding.ASCII.GetString(RunPython($"\"{script}\" \"{messageFile}\" {keyName} \"{recordFile}\" {seconds}", Array.Empty<byte>())).Trim().Split(' ');
        return int.Parse(output[0], CultureInfo.InvariantCulture) / double.Parse(output[1], CultureInfo.InvariantCulture);
    }

    private static byte[] RunPython(string args, byte[] input)
    {
        var psi = new ProcessStartInfo(BenchmarkContext.DebianPython, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input, 0, input.Length);
        process.StandardInput.Close();
        copy.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"python {args} failed: {stderr.Result}");
        return stdout.ToArray();
    }
}
