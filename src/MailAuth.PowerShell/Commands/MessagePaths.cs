using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace MailAuth.PowerShell.Commands;

/// <summary>-Path / -LiteralPath resolution for cmdlets that read message files: a missing file is a non-terminating error.</summary>
internal static class MessagePaths
{
    public const string NotFoundErrorId = "MessageFileNotFound";
    public const string UnreadableErrorId = "MessageFileUnreadable";

    /// <summary>The provider paths of existing files; writes an error for each input that names none.</summary>
    public static IEnumerable<string> Resolve(PSCmdlet cmdlet, string[] inputs, bool literal)
    {
        foreach (var input in inputs)
        {
            var resolved = new List<string>();
            try
            {
                if (literal)
                {
                    resolved.Add(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(input));
                }
                else
                {
                    resolved.AddRange(cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(input, out _));
                }
            }
            catch (System.Exception ex) when (ex is SessionStateException || ex is ProviderInvocationException || ex is System.ArgumentException || ex is System.NotSupportedException)
            {
                cmdlet.WriteError(new ErrorRecord(ex, NotFoundErrorId, ErrorCategory.ObjectNotFound, input));
                continue;
            }

            foreach (var path in resolved)
            {
                if (Directory.Exists(path))
                {
                    cmdlet.WriteError(new ErrorRecord(new IOException($"'{path}' is a directory, not a message file."), UnreadableErrorId, ErrorCategory.ReadError, path));
                    continue;
                }
                if (!File.Exists(path))
                {
                    cmdlet.WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the message file '{path}'.", path), NotFoundErrorId, ErrorCategory.ObjectNotFound, path));
                    continue;
                }
                yield return path;
            }
        }
    }
}
