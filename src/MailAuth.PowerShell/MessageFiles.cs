using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace MailAuth.PowerShell;

/// <summary>
/// Resolves -Path (wildcards) and -LiteralPath of the message cmdlets to files, writing a non-terminating
/// error (MessageFileNotFound, MessageFileUnreadable) for each input that names no readable file.
/// </summary>
internal static class MessageFiles
{
    public const string NotFoundErrorId = "MessageFileNotFound";
    public const string UnreadableErrorId = "MessageFileUnreadable";

    public static List<string> Resolve(PSCmdlet cmdlet, string[] paths, bool literal)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            try
            {
                if (literal)
                {
                    var resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(p);
                    if (File.Exists(resolved)) files.Add(resolved);
                    else if (Directory.Exists(resolved)) WriteUnreadable(cmdlet, resolved, new IOException($"{resolved} is a directory, not a message file."));
                    else WriteNotFound(cmdlet, p, resolved);
                    continue;
                }
                var all = cmdlet.GetResolvedProviderPathFromPSPath(p, out var provider);
                if (provider.Name != "FileSystem")
                {
                    WriteUnreadable(cmdlet, p, new IOException($"{p} is not a file system path."));
                    continue;
                }
                foreach (var r in all)
                {
                    if (Directory.Exists(r)) WriteUnreadable(cmdlet, r, new IOException($"{r} is a directory, not a message file."));
                    else files.Add(r);
                }
            }
            catch (ItemNotFoundException)
            {
                WriteNotFound(cmdlet, p, p);
            }
            catch (Exception ex) when (ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is PSArgumentException || ex is ArgumentException || ex is NotSupportedException)
            {
                WriteUnreadable(cmdlet, p, ex);
            }
        }
        return files;
    }

    public static void WriteUnreadable(PSCmdlet cmdlet, string file, Exception ex) =>
        cmdlet.WriteError(new ErrorRecord(new IOException($"Cannot read the message file {file}: {ex.Message}", ex), UnreadableErrorId, ErrorCategory.ReadError, file));

    private static void WriteNotFound(PSCmdlet cmdlet, string input, string resolved) =>
        cmdlet.WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the message file {resolved}.", resolved), NotFoundErrorId, ErrorCategory.ObjectNotFound, input));
}
