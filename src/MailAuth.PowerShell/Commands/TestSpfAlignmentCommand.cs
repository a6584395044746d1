using System.Management.Automation;
using MailAuth.Dmarc;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Tests whether the SPF MAIL FROM domain is aligned with the From domain (RFC 9989 §3.2.3).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SpfAlignment")]
[OutputType(typeof(AlignmentResult))]
public sealed class TestSpfAlignmentCommand : AlignmentCommandBase
{
    /// <summary>The RFC5321.MailFrom address or domain.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("ReturnPath", "EnvelopeFrom")]
    [AllowEmptyString]
    public string MailFrom { get; set; }

    protected override AuthenticatedIdentifierKind Kind => AuthenticatedIdentifierKind.Spf;

    protected override string Other => MailFrom;
}
