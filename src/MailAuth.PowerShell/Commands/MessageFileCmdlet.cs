using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading.Tasks;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// The base of the cmdlets that verify message files against the DNS (Test-DkimSignature, Test-ArcChain):
/// -Path (wildcards) and -LiteralPath, resolved through <see cref="MessagePaths"/>, and one way to read a
/// file that turns an unreadable one into a MessageFileUnreadable error so the pipeline goes on.
/// </summary>
public abstract class MessageFileCmdlet : DnsCmdlet
{
    /// <summary>The parameter set of -Path.</summary>
    protected const string PathSet = "Path";
    /// <summary>The parameter set of -LiteralPath.</summary>
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Message files (.eml); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; }

    /// <summary>Message files, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; }

    /// <summary>The existing files named by -Path or -LiteralPath; an error is written for each input that names none.</summary>
    protected IEnumerable<string> MessageFiles() =>
        ParameterSetName == LiteralPathSet ? MessagePaths.Resolve(this, LiteralPath, true) : MessagePaths.Resolve(this, Path, false);

    /// <summary>
    /// Opens <paramref name="file"/>, says <paramref name="verbose"/> and reads it with <paramref name="read"/>;
    /// false (and a MessageFileUnreadable error written) when it cannot be read.
    /// </summary>
    protected bool TryReadMessage<T>(string file, string verbose, Func<Stream, Task<T>> read, out T result)
    {
        try
        {
            using var stream = File.OpenRead(file);
            WriteVerbose(verbose);
            result = Await(read(stream));
            return true;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
        {
            WriteError(new ErrorRecord(new IOException($"Cannot read the message file {file}: {ex.Message}", ex), MessagePaths.UnreadableErrorId, ErrorCategory.ReadError, file));
            result = default;
            return false;
        }
    }
}
