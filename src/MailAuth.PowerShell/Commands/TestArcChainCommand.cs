using System.Management.Automation;
using MailAuth.Arc;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Validates the ARC chain (RFC 8617) of messages.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ArcChain", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ArcChainResult))]
public sealed class TestArcChainCommand : MessageFileCmdlet
{
    /// <summary>Keys parsed and imported for one message, kept for the next ones of this pipeline.</summary>
    private readonly DkimKeyCache _keyCache = new DkimKeyCache();

    protected override void ProcessRecord()
    {
        var verifier = new ArcChainVerifier(Resolver, null, _keyCache);
        foreach (var file in MessageFiles())
        {
            if (!TryReadMessage(file, $"Validating the ARC chain of {file}.", stream => verifier.VerifyAsync(stream, file, CancellationToken), out var result)) continue;
            if (result.Reason != null) WriteVerbose(result.Reason);
            WriteObject(result);
        }
    }
}
