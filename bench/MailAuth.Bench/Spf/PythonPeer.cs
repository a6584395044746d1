using System;
using System.Diagnostics;
using System.Linq;

namespace MailAuth.Bench.Spf;

/// <summary>Runs a peer script with Debian's Python and returns its last output line (a JSON object).</summary>
internal static class PythonPeer
{
    public static string Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(BenchmarkContext.DebianPython)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("python did not start");
        var stderrTask = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({p.ExitCode}): {stderrTask.Result}");
        return stdout.Trim().Split('\n').Last();
    }
}
