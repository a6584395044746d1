using System.Management.Automation;
using MailAuth.Dmarc;
using MailAuth.PowerShell.Parameters;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Tests whether the SPF MAIL FROM domain is aligned with the From domain (RFC 9989 §4.4.2).</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SpfAlignment")]
[OutputType(typeof(AlignmentResult))]
public sealed class TestSpfAlignmentCommand : DnsCmdlet
{
    /// <summary>The RFC5322.From address or domain.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("From", "HeaderFromDomain")]
    [AllowEmptyString]
    public string HeaderFrom { get; set; }

    /// <summary>relaxed (default) or strict.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AlignmentMode")]
    [ValidateSet("Relaxed", "Strict", IgnoreCase = true)]
    public string Mode { get; set; } = "Relaxed";

    /// <summary>The RFC5321.MailFrom address or domain.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("ReturnPath", "EnvelopeFrom")]
    [AllowEmptyString]
    public string MailFrom { get; set; }

    /// <summary>The HELO name: for a null MAIL FROM, SPF checks postmaster@&lt;HELO&gt; (RFC 7208 §2.4), and that is the domain to align.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Helo { get; set; }

    /// <summary>TreeWalk (RFC 9989, default) or Psl (RFC 7489).</summary>
    /// <remarks>
    /// A string, not the DmarcDiscoveryMode enum: an enum-typed backing field would make PowerShell's
    /// GetExportedTypes load MailAuth.Core before the module initializer can point it at Dependencies/.
    /// </remarks>
    [Parameter]
    [ValidateSet("TreeWalk", "Psl", IgnoreCase = true)]
    public string DiscoveryMode { get; set; } = "TreeWalk";

    /// <summary>A public_suffix_list.dat to use instead of the embedded snapshot (Psl mode).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string PublicSuffixListPath { get; set; }

    private DmarcDiscoveryMode SelectedDiscoveryMode => ParameterEnum.Parse<DmarcDiscoveryMode>(DiscoveryMode);

    /// <summary>The list in use, ready after BeginProcessing.</summary>
    private PublicSuffixList PublicSuffixList { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        PublicSuffixList = DmarcDiscoveryParameters.LoadPublicSuffixList(this, PublicSuffixListPath);
    }

    protected override void ProcessRecord() =>
        AlignmentCheck.Write(this, Resolver, AuthenticatedIdentifierKind.Spf, HeaderFrom, string.IsNullOrWhiteSpace(MailFrom) && !string.IsNullOrWhiteSpace(Helo) ? Helo : MailFrom, Mode, SelectedDiscoveryMode, PublicSuffixList);
}
