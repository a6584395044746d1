using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Tests.Infrastructure;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// Runs the repository's console host (src/MailAuth.Host, mailauth-host.dll) in its own process, as a user or
/// build.ps1 would: for what must not share this test process (a second copy of the module, a conflicting
/// assembly loaded first, exit codes, redirected output).
/// </summary>
public static class HostProcess
{
    /// <summary>mailauth-host.dll of the same configuration as this test build.</summary>
    public static string HostPath
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            var path = Path.Combine(RepositoryPaths.Root, "src", "MailAuth.Host", "bin", configuration, "net10.0", "mailauth-host.dll");
            if (!File.Exists(path)) throw new FileNotFoundException("Build src/MailAuth.Host first.", path);
            return path;
        }
    }

    public static HostResult Run(IEnumerable<string> arguments, IDictionary<string, string> environment = null, string workingDirectory = null, int timeoutSeconds = 300)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        start.ArgumentList.Add(HostPath);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment.Remove("NO_COLOR");
        if (environment != null) foreach (var e in environment) start.Environment[e.Key] = e.Value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("mailauth-host did not finish in " + timeoutSeconds + " s: " + string.Join(" ", arguments));
        }
        Task.WaitAll(stdout, stderr);
        return new HostResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static HostResult Command(string script, IDictionary<string, string> environment = null) => Run(new[] { "-Command", script }, environment);
}

public sealed record HostResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}--- stdout{Environment.NewLine}{Output}--- stderr{Environment.NewLine}{Error}";

    public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
}
