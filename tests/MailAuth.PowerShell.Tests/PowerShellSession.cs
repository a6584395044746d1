using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using MailAuth.Tests.Infrastructure;

namespace MailAuth.PowerShell.Tests;

/// <summary>
/// The real PowerShell 7 engine, hosted in-process, with the module imported from the repository's
/// MailAuth.psd1 exactly as a user would. Each <see cref="Run"/> is one pipeline: its output objects,
/// its error records, and the text the host showed.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;
    private readonly StringWriter _hostOut = new StringWriter();
    private readonly StringWriter _hostErr = new StringWriter();

    public PowerShellSession(bool importModule = true)
    {
        var iss = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(new TextHost(_hostOut, _hostErr, 200), iss);
        _runspace.Open();
        // The hosted engine has only the Microsoft.PowerShell.Core cmdlets (no Set-Location, Select-Object, Format-*).
        _runspace.SessionStateProxy.Path.SetLocation(RepositoryPaths.Root);
        Run("$PSStyle.OutputRendering = 'PlainText'").ThrowOnError();
        if (importModule)
        {
            Run("Import-Module -Name $args[0] -ErrorAction Stop", ManifestPath).ThrowOnError();
        }
    }

    public static string ManifestPath => Path.Combine(RepositoryPaths.Root, "MailAuth.psd1");

    /// <summary>Runs a script with positional $args; returns its output, errors and host text.</summary>
    public PipelineResult Run(string script, params object[] args)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (var a in args) ps.AddArgument(a);
        _hostOut.GetStringBuilder().Clear();
        _hostErr.GetStringBuilder().Clear();
        Collection<PSObject> output;
        Exception terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            output = new Collection<PSObject>();
            terminating = ex;
        }
        return new PipelineResult(
            output.ToList(),
            ps.Streams.Error.ToList(),
            ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(),
            _hostOut.ToString(),
            terminating);
    }

    /// <summary>Runs a script and returns what Out-Default would show, formatted by the module's views.</summary>
    public string Format(string script, params object[] args)
    {
        var result = Run("& { " + script + " } @args | Out-Default", args);
        result.ThrowOnError();
        return result.HostText;
    }

    /// <summary>
    /// Starts a script, stops the pipeline (as Ctrl+C does) once <paramref name="stopWhen"/> holds, and returns
    /// whether it ended within 10 s of the stop.
    /// </summary>
    public async System.Threading.Tasks.Task<bool> RunAndStopAsync(string script, Func<bool> stopWhen, params object[] args)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (var a in args) ps.AddArgument(a);
        var running = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!stopWhen() && !running.IsCompleted && DateTime.UtcNow < deadline) await System.Threading.Tasks.Task.Delay(10);
        ps.Stop();
        return running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _runspace.Dispose();
}

public sealed class PipelineResult
{
    public PipelineResult(IReadOnlyList<PSObject> output, IReadOnlyList<ErrorRecord> errors, IReadOnlyList<string> warnings,
        IReadOnlyList<string> verbose, string hostText, Exception terminating)
    {
        Output = output;
        Errors = errors;
        Warnings = warnings;
        Verbose = verbose;
        HostText = hostText;
        Terminating = terminating;
    }

    public IReadOnlyList<PSObject> Output { get; }
    public IReadOnlyList<ErrorRecord> Errors { get; }
    public IReadOnlyList<string> Warnings { get; }
    public IReadOnlyList<string> Verbose { get; }
    public string HostText { get; }
    public Exception Terminating { get; }

    /// <summary>The base objects of the output, cast.</summary>
    public IReadOnlyList<T> Objects<T>() => Output.Select(o => o.BaseObject).Cast<T>().ToList();

    /// <summary>The FullyQualifiedErrorIds of the errors, e.g. "InvalidDomainName,MailAuth.PowerShell.Commands.GetMxRecordCommand".</summary>
    public IReadOnlyList<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId).ToList();

    public PipelineResult ThrowOnError()
    {
        if (Terminating != null) throw new InvalidOperationException("The pipeline failed: " + Terminating.Message, Terminating);
        if (Errors.Count > 0) throw new InvalidOperationException("The pipeline wrote errors: " + string.Join(" | ", Errors.Select(e => e + " [" + e.FullyQualifiedErrorId + "]")));
        return this;
    }

    public object Property(int index, string name) => Output[index].Properties[name]?.Value;
}
