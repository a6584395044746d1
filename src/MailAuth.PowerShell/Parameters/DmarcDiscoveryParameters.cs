using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Dmarc;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// -PublicSuffixListPath of the cmdlets that find Organizational Domains (Get-DmarcRecord, Test-SpfAlignment,
/// Test-DkimAlignment, Test-MailAuthentication): the embedded snapshot, or a newer list the user gives.
/// </summary>
internal static class DmarcDiscoveryParameters
{
    /// <summary>The list to use; a list that cannot be read stops the command, since every item would need it.</summary>
    internal static PublicSuffixList LoadPublicSuffixList(PSCmdlet cmdlet, string path)
    {
        if (string.IsNullOrEmpty(path)) return PublicSuffixList.Default;
        try
        {
            var list = PublicSuffixList.Load(cmdlet.GetUnresolvedProviderPathFromPSPath(path));
            cmdlet.WriteVerbose($"Using the Public Suffix List {list.Source} ({list.RuleCount} rules).");
            return list;
        }
        catch (MailAuthInputException ex)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.ReadError, path));
            return null;
        }
    }
}
