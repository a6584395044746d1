using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace MailAuth.Host;

/// <summary>
/// Runs PowerShell through the embedded PowerShell 7 engine, where pwsh is not installed:
/// <c>mailauth-host -Command "Import-Module ./MailAuth.psd1; Get-DmarcRecord example.com"</c>
/// or <c>mailauth-host -File build.ps1 -Task Test</c>. Output is formatted by the module's
/// views; errors go to standard error; the exit code is 1 when anything failed.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "-?" or "--help" or "-Help")
        {
            Console.WriteLine("usage: mailauth-host -Command <script> | -File <path.ps1> [arguments...]");
            return args.Length == 0 ? 2 : 0;
        }

        var iss = InitialSessionState.CreateDefault2();
        var host = new TextHost(Console.Out, Console.Error, Math.Max(80, SafeWidth()));
        using var runspace = RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;

        string mode = args[0];
        if (string.Equals(mode, "-Command", StringComparison.OrdinalIgnoreCase) || string.Equals(mode, "-c", StringComparison.OrdinalIgnoreCase))
        {
            ps.AddScript(string.Join(" ", args.Skip(1)));
        }
        else if (string.Equals(mode, "-File", StringComparison.OrdinalIgnoreCase) || string.Equals(mode, "-f", StringComparison.OrdinalIgnoreCase))
        {
            if (args.Length < 2) { Console.Error.WriteLine("-File needs a path."); return 2; }
            var path = Path.GetFullPath(args[1]);
            ps.AddCommand(path);
            AddArguments(ps, args.Skip(2).ToList());
        }
        else
        {
            ps.AddScript(string.Join(" ", args));
        }
        // Out-Default sends output, errors and warnings through the host, formatted by the module's views.
        foreach (var command in ps.Commands.Commands) command.MergeMyResults(PipelineResultTypes.All, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        try
        {
            ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            Console.Error.WriteLine("ERROR: " + Describe(ex.ErrorRecord));
            return 1;
        }
        return ps.HadErrors || host.ExitCode != 0 ? 1 : host.ExitCode;
    }

    private static int SafeWidth()
    {
        try { return Console.IsOutputRedirected ? 160 : Console.WindowWidth; }
        catch (IOException) { return 160; }
    }

    private static void AddArguments(System.Management.Automation.PowerShell ps, List<string> rest)
    {
        for (int i = 0; i < rest.Count; i++)
        {
            var a = rest[i];
            if (a.StartsWith("-", StringComparison.Ordinal) && a.Length > 1 && !double.TryParse(a, out _))
            {
                var name = a.Substring(1).TrimEnd(':');
                if (i + 1 < rest.Count && !rest[i + 1].StartsWith("-", StringComparison.Ordinal))
                {
                    ps.AddParameter(name, rest[++i]);
                }
                else
                {
                    ps.AddParameter(name, true);
                }
            }
            else
            {
                ps.AddArgument(a);
            }
        }
    }

    private static string Describe(ErrorRecord record) =>
        $"{record} [{record.FullyQualifiedErrorId}]" + (record.InvocationInfo?.PositionMessage is { Length: > 0 } pos ? Environment.NewLine + pos : string.Empty);
}
