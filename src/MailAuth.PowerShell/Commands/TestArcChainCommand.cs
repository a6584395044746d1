using System.Management.Automation;
using MailAuth.Arc;
using MailAuth.Dkim;
using MailAuth.PowerShell.Parameters;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Validates the ARC chain (RFC 8617) of messages.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ArcChain", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ArcChainResult))]
public sealed class TestArcChainCommand : DnsCmdlet
{
    private const string PathSet = MessagePaths.PathSet;
    private const string LiteralPathSet = MessagePaths.LiteralPathSet;

    /// <summary>Message files (.eml); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; }

    /// <summary>Message files, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; }

    /// <summary>Keys parsed and imported for one message, kept for the next ones of this pipeline.</summary>
    private readonly DkimKeyCache _keyCache = new DkimKeyCache();

    protected override void ProcessRecord()
    {
        var verifier = new ArcChainVerifier(Resolver, null, _keyCache);
        foreach (var file in MessagePaths.Resolve(this, Path, LiteralPath))
        {
            if (!MessagePaths.TryRead(this, file, $"Validating the ARC chain of {file}.", stream => verifier.VerifyAsync(stream, file, CancellationToken), out var result)) continue;
            if (result.Reason != null) WriteVerbose(result.Reason);
            WriteObject(result);
        }
    }
}
