using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MailAuth.DmarcReports;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Imports DMARC aggregate reports from .xml, .xml.gz, .gz, .zip and .eml files.</para>
/// </summary>
[Cmdlet(VerbsData.Import, "DmarcReport", DefaultParameterSetName = PathParameterSet)]
[OutputType(typeof(DmarcAggregateReport), typeof(DmarcReportRow))]
public sealed class ImportDmarcReportCommand : MailAuthCmdlet
{
    private const string PathParameterSet = "Path";
    private const string LiteralPathParameterSet = "LiteralPath";

    /// <summary>Stable id of the error for a path that matches no file.</summary>
    public const string FileNotFoundErrorId = "DmarcReportFileNotFound";

    private DmarcReportImporter _importer;

    /// <summary>Files or folders to import; wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathParameterSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; }

    /// <summary>Files or folders to import, used exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathParameterSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; }

    /// <summary>Also import the report files in the subfolders of a folder.</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Write one flat row per record, streamed as it is read, instead of one object per report.</summary>
    [Parameter]
    public SwitchParameter Expand { get; set; }

    protected override void BeginProcessing() => _importer = new DmarcReportImporter();

    /// <summary>Each report once per run, however many files hold it.</summary>
    private readonly DmarcReportOnce _once = new DmarcReportOnce();

    private void SkippedVerbose(DmarcReportIdentity identity, string file) =>
        WriteVerbose($"Left out the report {identity} in {file}: the same reporter and report id was read already in this run.");

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathParameterSet;
        foreach (var input in literal ? LiteralPath : Path)
        {
            // The files of one -Path value are found first, so that the progress bar can say how far the import is.
            var files = ResolveFiles(input, literal).ToList();
            for (int i = 0; i < files.Count; i++)
            {
                if (Stopping) return;
                if (files.Count > 1)
                    WriteProgress(new ProgressRecord(ProgressId, "Importing DMARC reports", $"{i + 1} of {files.Count}: {System.IO.Path.GetFileName(files[i])}")
                    {
                        PercentComplete = (int)(100L * i / files.Count),
                    });
                Import(files[i]);
            }
            if (files.Count > 1)
                WriteProgress(new ProgressRecord(ProgressId, "Importing DMARC reports", $"{files.Count} file(s)") { RecordType = ProgressRecordType.Completed });
        }
    }

    private const int ProgressId = 1;

    private void Import(string file)
    {
        WriteVerbose($"Importing {file}.");
        try
        {
            foreach (var result in _importer.ReadFile(file, Expand.IsPresent, CancellationToken))
            {
                if (result.Error != null)
                    WriteError(result.Error, result.Error.ErrorId, ErrorCategory.InvalidData, result.Error.Source);
                else if (result.Row != null)
                {
                    if (_once.Admit(result.Row, out var identity)) WriteObject(result.Row);
                    else if (identity != null) SkippedVerbose(identity, file);
                }
                else if (_once.Admit(result.Report, out var identity)) WriteObject(result.Report);
                else SkippedVerbose(identity, file);
            }
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the pipeline is stopping.
        }
    }

    private IEnumerable<string> ResolveFiles(string input, bool literal)
    {
        var paths = new List<string>();
        try
        {
            if (literal)
            {
                paths.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(input));
            }
            else
            {
                paths.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(input, out var provider));
                if (provider.Name != "FileSystem")
                {
                    WriteError(new ArgumentException($"{input} is not a file-system path."), FileNotFoundErrorId, ErrorCategory.InvalidArgument, input);
                    return Array.Empty<string>();
                }
            }
        }
        catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException)
        {
            WriteError(new FileNotFoundException($"No file matches {input}.", ex), FileNotFoundErrorId, ErrorCategory.ObjectNotFound, input);
            return Array.Empty<string>();
        }

        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var option = Recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
                files.AddRange(Directory.EnumerateFiles(path, "*", option)
                    .Where(f => DmarcReportImporter.ReportFileExtensions.Any(x => f.EndsWith(x, StringComparison.OrdinalIgnoreCase)))
                    .OrderBy(f => f, StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                WriteError(new FileNotFoundException($"No file matches {input}.", path), FileNotFoundErrorId, ErrorCategory.ObjectNotFound, input);
            }
        }
        if (paths.Count == 0)
            WriteError(new FileNotFoundException($"No file matches {input}."), FileNotFoundErrorId, ErrorCategory.ObjectNotFound, input);
        return files;
    }
}
