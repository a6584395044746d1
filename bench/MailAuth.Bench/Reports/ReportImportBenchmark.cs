using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using MailAuth.DmarcReports;

namespace MailAuth.Bench.Reports;

/// <summary>
/// Import-DmarcReport's core (DmarcReportImporter, -Expand rows) on one generated aggregate report of
/// 1 GB (scaled by --quick), beside a streaming Python ElementTree iterparse of the same file that
/// extracts the same fields per record. Peak memory: our process's VmHWM (reset through
/// /proc/self/clear_refs just before the import, so it covers the import only, runtime included)
/// and the largest GC heap sampled during it; Python's own VmHWM (its ru_maxrss would include ours, inherited across fork+exec).
/// </summary>
public sealed class ReportImportBenchmark : IBenchmark
{
    public string Name => "dmarc-report-import";

    public string Description => "Import-DmarcReport -Expand on a generated 1 GB aggregate report vs Python ElementTree iterparse; target >= 5x, < 100 MB peak";

    private const string PeerScript = @"
import resource, sys, time
import xml.etree.ElementTree as ET
path = sys.argv[1]
t0 = time.perf_counter()
c0 = time.process_time()
rows = 0
messages = 0
ctx = ET.iterparse(path, events=('start', 'end'))
_, root = next(ctx)
meta = {}
for ev, el in ctx:
    if ev != 'end':
        continue
    tag = el.tag.rsplit('}', 1)[-1]
    if tag == 'report_metadata':
        meta = {c.tag.rsplit('}', 1)[-1]: (c.text or '').strip() for c in el}
    elif tag == 'record':
        def f(p):
            x = el.find(p)
            return None if x is None else (x.text or '').strip()
        row = dict(meta)
        row['source_ip'] = f('row/source_ip')
        row['count'] = int(f('row/count'))
        row['disposition'] = (f('row/policy_evaluated/disposition') or '').lower()
        row['dkim'] = (f('row/policy_evaluated/dkim') or '').lower()
        row['spf'] = (f('row/policy_evaluated/spf') or '').lower()
        row['header_from'] = f('identifiers/header_from')
        row['envelope_from'] = f('identifiers/envelope_from')
        row['dkim_results'] = [((d.findtext('domain') or ''), (d.findtext('selector') or ''), (d.findtext('result') or '').lower()) for d in el.findall('auth_results/dkim')]
        row['spf_results'] = [((s.findtext('domain') or ''), (s.findtext('scope') or ''), (s.findtext('result') or '').lower()) for s in el.findall('auth_results/spf')]
        rows += 1
        messages += row['count']
        root.clear()
elapsed = time.perf_counter() - t0
cpu = time.process_time() - c0
# ru_maxrss of a process started by fork+exec keeps the parent's high-water mark (Linux copies it across
# exec), so read this process's own VmHWM; fall back to ru_maxrss elsewhere.
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
try:
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                peak = int(line.split()[1]) * 1024
except OSError:
    pass
print(rows, messages, elapsed, peak, cpu)
";

    public BenchmarkReport Run(BenchmarkContext context)
    {
        var report = new BenchmarkReport(Name);
        long targetBytes = (long)(1024L * 1024 * 1024 * context.Scale);
        var path = Path.Combine(context.ScratchDirectory, $"aggregate-{targetBytes / (1024 * 1024)}MB.xml");
        if (!File.Exists(path) || new FileInfo(path).Length < targetBytes)
        {
            var sw = Stopwatch.StartNew();
            AggregateReportGenerator.Write(path, targetBytes);
            context.Output.WriteLine($"   generated {path} ({new FileInfo(path).Length / 1048576.0:N0} MB) in {sw.Elapsed.TotalSeconds:N1} s");
        }
        double megabytes = new FileInfo(path).Length / 1048576.0;

        // Ours, in this process: reset the peak RSS so it measures the import alone.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        bool hwmReset = TryResetPeakRss();
        long maxHeap = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!sampling.IsCancellationRequested)
            {
                long heap = GC.GetTotalMemory(false);
                if (heap > Interlocked.Read(ref maxHeap)) Interlocked.Exchange(ref maxHeap, heap);
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        sampler.Start();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var timer = Stopwatch.StartNew();
        long rows = 0, messages = 0;
        foreach (var result in new DmarcReportImporter().ReadFile(path, expand: true))
        {
            if (result.Error != null) throw new InvalidOperationException(result.Error.Message);
            rows++;
            messages += result.Row.Count;
        }
        var ours = timer.Elapsed.TotalSeconds;
        var oursCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        sampling.Cancel();
        sampler.Join();
        long peakRss = ReadPeakRss();

        // The peer, as a subprocess that times its own loop.
        var script = Path.Combine(context.ScratchDirectory, "iterparse_report.py");
        File.WriteAllText(script, PeerScript);
        var psi = new ProcessStartInfo(BenchmarkContext.DebianPython, $"\"{script}\" \"{path}\"") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var peer = Process.Start(psi)!;
        var output = peer.StandardOutput.ReadToEnd();
        var errors = peer.StandardError.ReadToEnd();
        peer.WaitForExit();
        var parts = output.Trim().Split(' ');
        if (peer.ExitCode != 0 || parts.Length < 5) throw new InvalidOperationException("iterparse peer failed: " + errors + output);
        long peerRows = long.Parse(parts[0], CultureInfo.InvariantCulture);
        long peerMessages = long.Parse(parts[1], CultureInfo.InvariantCulture);
        double peerSeconds = double.Parse(parts[2], CultureInfo.InvariantCulture);
        long peerRss = long.Parse(parts[3], CultureInfo.InvariantCulture);
        double peerCpu = double.Parse(parts[4], CultureInfo.InvariantCulture);
        if (peerRows != rows || peerMessages != messages)
            throw new InvalidOperationException($"The two sides disagree: MailAuth {rows} rows / {messages} messages, iterparse {peerRows} / {peerMessages}.");

        report.Add($"import {megabytes:N0} MB, {rows:N0} records", "MB/s", megabytes / ours, "iterparse", megabytes / peerSeconds, higherIsBetter: true, target: 5);
        report.Add("rows", "rows/s", rows / ours, "iterparse", peerRows / peerSeconds, higherIsBetter: true);
        report.Add("CPU time per MB (robust on a shared machine)", "ms/MB", 1000 * oursCpu / megabytes, "iterparse", 1000 * peerCpu / megabytes, higherIsBetter: false, target: 5,
            note: "process CPU time over the import loop; ours includes GC and the heap sampler");
        report.Add("peak resident memory", "MB", peakRss / 1048576.0, "iterparse", peerRss / 1048576.0, higherIsBetter: false,
            note: (hwmReset ? "VmHWM reset before the import, .NET runtime included" : "VmHWM of the whole bench process (reset not available)")
                  + $"; target < 100 MB: {(peakRss < 100L * 1024 * 1024 ? "MET" : "NOT MET")}");
        report.Add("peak GC heap (sampled every 5 ms)", "MB", maxHeap / 1048576.0, "iterparse", peerRss / 1048576.0, higherIsBetter: false, note: "peer column: its peak RSS");
        return report;
    }

    /// <summary>Writing 5 to /proc/self/clear_refs resets VmHWM (Linux 4.0+).</summary>
    private static bool TryResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadPeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Substring(6).Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
