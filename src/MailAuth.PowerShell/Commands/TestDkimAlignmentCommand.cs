using System.Management.Automation;
using MailAuth.Dmarc;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Tests whether a DKIM signing domain (d=) is aligned with the From domain (RFC 9989 §3.2.2).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DkimAlignment")]
[OutputType(typeof(AlignmentResult))]
public sealed class TestDkimAlignmentCommand : AlignmentCommandBase
{
    /// <summary>The d= domain of the DKIM signature.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Domain")]
    [AllowEmptyString]
    public string SigningDomain { get; set; }

    protected override AuthenticatedIdentifierKind Kind => AuthenticatedIdentifierKind.Dkim;

    protected override string Other => SigningDomain;
}
