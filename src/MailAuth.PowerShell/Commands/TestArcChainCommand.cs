using System;
using System.IO;
using System.Management.Automation;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Validates the ARC chain (RFC 8617) of messages.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ArcChain", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ArcChainResult))]
public sealed class TestArcChainCommand : DnsCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Message files (.eml); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; }

    /// <summary>Message files, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; }

    protected override void ProcessRecord()
    {
        var verifier = new ArcChainVerifier(Resolver);
        foreach (var file in MessagePaths.Resolve(this, ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == LiteralPathSet))
        {
            ArcChainResult result;
            try
            {
                using (var stream = File.OpenRead(file))
                {
                    WriteVerbose($"Validating the ARC chain of {file}.");
                    result = Await(verifier.VerifyAsync(stream, file, CancellationToken));
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                WriteError(new ErrorRecord(new IOException($"Cannot read the message file {file}: {ex.Message}", ex), MessagePaths.UnreadableErrorId, ErrorCategory.ReadError, file));
                continue;
            }
            if (result.Reason != null) WriteVerbose(result.Reason);
            WriteObject(result);
        }
    }
}
