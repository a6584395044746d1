using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MailAuth.Tests.Infrastructure;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// Runs real pwsh (the PowerShell global tool pinned in .config/dotnet-tools.json, restored by <c>dotnet tool
/// restore</c>) in its own process, as a user or CI would: for what must not share
/// this test process (a second copy of the module, a conflicting assembly loaded first, the credential chain's
/// environment, exit codes).
/// </summary>
public static class PwshProcess
{
    /// <summary>
    /// pwsh.dll of the pinned tool in the NuGet package folder, started with dotnet directly rather than through
    /// <c>dotnet pwsh</c>, so that a test may give pwsh another HOME (the AWS credential chain reads ~/.aws).
    /// </summary>
    public static string PwshDll
    {
        get
        {
            var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".config", "dotnet-tools.json")));
            var version = manifest.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString();
            var path = Path.Combine(NuGetPackageRoot, "powershell", version, "tools", "net10.0", "any", "unix", "pwsh.dll");
            if (!File.Exists(path)) throw new FileNotFoundException("Run 'dotnet tool restore' in the repository first: PowerShell " + version + " is not in the NuGet package folder.", path);
            return path;
        }
    }

    /// <summary>The NuGet package folder this test project was restored from.</summary>
    public static string NuGetPackageRoot =>
        typeof(PwshProcess).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value;

    public static PwshResult Run(IEnumerable<string> arguments, IDictionary<string, string> environment = null, string workingDirectory = null, int timeoutSeconds = 300)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var a in new[] { PwshDll, "-NoProfile", "-NonInteractive" }.Concat(arguments)) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (environment != null) foreach (var e in environment) start.Environment[e.Key] = e.Value;

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pwsh did not finish in " + timeoutSeconds + " s: " + string.Join(" ", arguments));
        }
        Task.WaitAll(stdout, stderr);
        return new PwshResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static PwshResult Command(string script, IDictionary<string, string> environment = null) => Run(new[] { "-Command", script }, environment);
}

public sealed record PwshResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}--- stdout{Environment.NewLine}{Output}--- stderr{Environment.NewLine}{Error}";

    public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
}
