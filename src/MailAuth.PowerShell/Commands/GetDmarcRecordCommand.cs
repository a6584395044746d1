using System;
using System.Linq;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Dmarc;
using MailAuth.PowerShell.Parameters;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the DMARC policy that applies to a domain, by the RFC 9989 DNS tree walk or the legacy Public Suffix List.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DmarcRecord")]
[OutputType(typeof(DmarcRecordResult))]
public sealed class GetDmarcRecordCommand : DnsCmdlet
{
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

    /// <summary>The domains whose DMARC policy to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "DomainName", "HeaderFrom")]
    [AllowEmptyString]
    public string[] Domain { get; set; }

    protected override void ProcessRecord()
    {
        var discoverer = new DmarcPolicyDiscoverer(Resolver, PublicSuffixList);
        foreach (var input in Domain)
        {
            var text = input;
            if (text != null && text.Trim().StartsWith("_dmarc.", StringComparison.OrdinalIgnoreCase))
            {
                text = text.Trim().Substring("_dmarc.".Length);
                WriteVerbose($"'{input}' is a DMARC record name; looking up the policy of {text}.");
            }
            if (!TryNormalizeDomain(text, out var domain)) continue;
            WriteVerbose(SelectedDiscoveryMode == DmarcDiscoveryMode.TreeWalk
                ? $"DNS tree walk from _dmarc.{domain} (RFC 9989 §4.10): " + string.Join(", ", DmarcTreeWalk.Targets(domain).Select(t => "_dmarc." + t))
                : $"Looking up _dmarc.{domain}, then _dmarc.{PublicSuffixList.GetRegistrableDomain(domain) ?? domain} (RFC 7489 §6.6.3).");
            var result = Await(discoverer.DiscoverAsync(domain, SelectedDiscoveryMode, CancellationToken));
            foreach (var q in result.Queries) WriteVerbose($"{q.QueryName}: {q.Status}{(q.DmarcRecordCount > 1 ? $" ({q.DmarcRecordCount} DMARC records, all discarded)" : "")}");
            if (result.Status == RecordStatus.Found)
                WriteVerbose($"Using the record of {result.RecordDomain}; the policy for {domain} is {result.AppliedPolicy?.ToString() ?? "(none)"} from {result.AppliedPolicySource}.");
            WriteObject(result);
            if (result.Status == RecordStatus.Error) WriteLookupFailed(result, domain, "the DMARC policy", result.ErrorKind);
        }
    }
}
