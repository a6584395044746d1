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
/// or <c>mailauth-host -File build.ps1 -Task Package</c>. Output is formatted by the module's views
/// (plain text when redirected or when NO_COLOR is set); errors go to standard error. The exit code is
/// the script's <c>exit</c> value, else 1 when any error record was written or the script failed, else 0.
/// </summary>
public static class Program
{
    private const string Usage =
        "usage: mailauth-host [-NoProfile] [-NonInteractive] -Command <script> | -File <path.ps1> [arguments...]";

    /// <summary>pwsh switches that make no difference here; accepted so pwsh command lines work unchanged.</summary>
    private static readonly HashSet<string> IgnoredSwitches = new(StringComparer.OrdinalIgnoreCase)
    {
        "-NoProfile", "-NoLogo", "-NonInteractive", "-NoProfileLoadTime",
    };

    public static int Main(string[] args)
    {
        var rest = new List<string>(args);
        while (rest.Count > 0 && IgnoredSwitches.Contains(rest[0])) rest.RemoveAt(0);
        if (rest.Count >= 2 && rest[0].Equals("-ExecutionPolicy", StringComparison.OrdinalIgnoreCase)) rest.RemoveRange(0, 2);
        if (rest.Count == 0 || rest[0] is "-h" or "-?" or "--help" or "-Help")
        {
            Console.WriteLine(Usage);
            return rest.Count == 0 ? 2 : 0;
        }

        // Colour escape sequences only where a terminal shows them (https://no-color.org).
        bool plainText = Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var host = new TextHost(Console.Out, Console.Error, Math.Max(80, SafeWidth()), supportsVirtualTerminal: !plainText);
        using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        if (plainText)
        {
            using var style = System.Management.Automation.PowerShell.Create();
            style.Runspace = runspace;
            style.AddScript("$PSStyle.OutputRendering = 'PlainText'").Invoke();
        }
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;

        string mode = rest[0];
        bool isFile = IsSwitch(mode, "-File", "-f");
        if (IsSwitch(mode, "-Command", "-c"))
        {
            ps.AddScript(string.Join(" ", rest.Skip(1)));
        }
        else if (isFile)
        {
            if (rest.Count < 2) { Console.Error.WriteLine("-File needs a path." + Environment.NewLine + Usage); return 2; }
            var path = Path.GetFullPath(rest[1]);
            if (!File.Exists(path)) { Console.Error.WriteLine($"The script '{rest[1]}' does not exist."); return 2; }
            var script = runspace.SessionStateProxy.InvokeCommand.GetCommand(path, CommandTypes.ExternalScript) as ExternalScriptInfo;
            ps.AddCommand(path);
            try
            {
                ScriptArguments.Bind(ps, script, rest.Skip(2).ToList());
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
        }
        else
        {
            ps.AddScript(string.Join(" ", rest));
        }

        // Out-Default shows output, errors and warnings in the order they happen, through the module's views.
        // Merged error records no longer reach ps.Streams.Error (so HadErrors misses them): count them on the way.
        var errors = new List<ErrorRecord>();
        foreach (var command in ps.Commands.Commands) command.MergeMyResults(PipelineResultTypes.All, PipelineResultTypes.Output);
        runspace.SessionStateProxy.SetVariable("MailAuthHostErrors", errors);
        ps.AddCommand("ForEach-Object").AddParameter("Process",
            ScriptBlock.Create("if ($_ -is [System.Management.Automation.ErrorRecord]) { $MailAuthHostErrors.Add($_) }; $_"));
        ps.AddCommand("Out-Default");

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            ps.BeginStop(null, null);
        };
        try
        {
            ps.Invoke();
        }
        catch (ExitException ex)
        {
            return ExitCode(ex.Argument);
        }
        catch (RuntimeException ex)
        {
            Console.Error.WriteLine(Describe(ex.ErrorRecord));
            return 1;
        }
        if (host.ShouldExit) return host.ExitCode;
        // `exit N` in a -File script ends the script, not the engine: it leaves N in $LASTEXITCODE, as pwsh -File reports it.
        if (isFile && runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int scriptExit && scriptExit != 0) return scriptExit;
        return errors.Count > 0 || ps.HadErrors ? 1 : 0;
    }

    private static bool IsSwitch(string argument, string name, string shortName) =>
        argument.Equals(name, StringComparison.OrdinalIgnoreCase) || argument.Equals(shortName, StringComparison.OrdinalIgnoreCase);

    private static int ExitCode(object argument)
    {
        if (argument == null) return 0;
        try { return LanguagePrimitives.ConvertTo<int>(argument); }
        catch (PSInvalidCastException) { return 1; }
    }

    private static int SafeWidth()
    {
        try { return Console.IsOutputRedirected ? 160 : Console.WindowWidth; }
        catch (IOException) { return 160; }
    }

    private static string Describe(ErrorRecord record) =>
        $"{record} [{record.FullyQualifiedErrorId}]" + (record.InvocationInfo?.PositionMessage is { Length: > 0 } pos ? Environment.NewLine + pos : string.Empty);
}
