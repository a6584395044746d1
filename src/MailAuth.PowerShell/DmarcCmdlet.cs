using System.Management.Automation;
using MailAuth.Dmarc;
using MailAuth.Common;

namespace MailAuth.PowerShell;

/// <summary>
/// The base of the DMARC cmdlets: -DiscoveryMode (RFC 9989 tree walk, or the legacy RFC 7489 Public
/// Suffix List) and -PublicSuffixListPath (a newer list than the embedded snapshot).
/// </summary>
public abstract class DmarcCmdlet : DnsCmdlet
{
    /// <summary>TreeWalk (RFC 9989, default) or Psl (RFC 7489).</summary>
    /// <remarks>
    /// A string, not the DmarcDiscoveryMode enum: an enum-typed backing field would make PowerShell's
    /// GetExportedTypes load MailAuth.Core before the module initializer can point it at Dependencies/.
    /// </remarks>
    [Parameter]
    [ValidateSet("TreeWalk", "Psl", IgnoreCase = true)]
    public string DiscoveryMode { get; set; } = "TreeWalk";

    /// <summary><see cref="DiscoveryMode"/> as the core's enum.</summary>
    protected DmarcDiscoveryMode SelectedDiscoveryMode => ParameterEnum.Parse<DmarcDiscoveryMode>(DiscoveryMode);

    /// <summary>A public_suffix_list.dat to use instead of the embedded snapshot (Psl mode).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string PublicSuffixListPath { get; set; }

    /// <summary>The list in use, ready after BeginProcessing.</summary>
    protected PublicSuffixList PublicSuffixList { get; private set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (string.IsNullOrEmpty(PublicSuffixListPath))
        {
            PublicSuffixList = PublicSuffixList.Default;
            return;
        }
        try
        {
            PublicSuffixList = PublicSuffixList.Load(GetUnresolvedProviderPathFromPSPath(PublicSuffixListPath));
            WriteVerbose($"Using the Public Suffix List {PublicSuffixList.Source} ({PublicSuffixList.RuleCount} rules).");
        }
        catch (MailAuthInputException ex)
        {
            // Every item would need the list: nothing further can work.
            ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.ReadError, PublicSuffixListPath));
        }
    }
}
