using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;
using MailAuth.PowerShell.Commands;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// -Path / -LiteralPath for the cmdlets that read message files (Test-DkimSignature, Test-ArcChain,
/// Test-MailAuthentication, Get-AuthenticationResult): resolution, where a missing file is a non-terminating error,
/// and reading, where an unreadable file is one too, so the pipeline goes on.
/// </summary>
internal static class MessagePaths
{
    public const string NotFoundErrorId = "MessageFileNotFound";
    public const string UnreadableErrorId = "MessageFileUnreadable";
    public const string TooLargeErrorId = "MessageFileTooLarge";

    /// <summary>
    /// The largest message file checked whole: 150 MiB, the largest message a major mailbox provider accepts
    /// (Exchange Online). A larger file is refused before it is read, so one file cannot take the memory of a run.
    /// </summary>
    public const long MaxMessageBytes = 150L * 1024 * 1024;

    /// <summary>The parameter set of -Path.</summary>
    public const string PathSet = "Path";

    /// <summary>The parameter set of -LiteralPath.</summary>
    public const string LiteralPathSet = "LiteralPath";

    /// <summary>The existing files named by -Path (wildcards) or, when it is bound, -LiteralPath.</summary>
    public static IEnumerable<string> Resolve(PSCmdlet cmdlet, string[] path, string[] literalPath) =>
        literalPath != null ? Resolve(cmdlet, literalPath, true) : Resolve(cmdlet, path, false);

    /// <summary>
    /// Opens <paramref name="file"/>, says <paramref name="verbose"/> and reads it with <paramref name="read"/>;
    /// false, with a non-terminating error written, when it cannot be read (MessageFileUnreadable) or, unless
    /// <paramref name="headerOnly"/>, when it is larger than <see cref="MaxMessageBytes"/> (MessageFileTooLarge).
    /// </summary>
    public static bool TryRead<T>(MailAuthCmdlet cmdlet, string file, string verbose, Func<Stream, Task<T>> read, out T result, bool headerOnly = false)
    {
        result = default;
        try
        {
            using var stream = File.OpenRead(file);
            if (!headerOnly && stream.Length > MaxMessageBytes)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new IOException($"The message file {file} is {stream.Length:N0} bytes, more than the {MaxMessageBytes:N0} a message may have to be checked whole (the largest message a major mailbox provider accepts); it was not read."),
                    TooLargeErrorId, ErrorCategory.LimitsExceeded, file));
                return false;
            }
            cmdlet.WriteVerbose(verbose);
            result = cmdlet.Await(read(stream));
            return true;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
        {
            cmdlet.WriteError(new ErrorRecord(new IOException($"Cannot read the message file {file}: {ex.Message}", ex), UnreadableErrorId, ErrorCategory.ReadError, file));
            return false;
        }
    }

    /// <summary>Reads a whole stream into memory.</summary>
    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

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
            catch (Exception ex) when (ex is SessionStateException || ex is ProviderInvocationException || ex is ArgumentException || ex is NotSupportedException)
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
