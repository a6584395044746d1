using System.Linq;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Spf;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the SPF record of a domain, its terms and findings; with -Expand, the include/redirect tree, the lookup totals and the authorized networks.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SpfRecord")]
[OutputType(typeof(SpfRecordResult))]
public sealed class GetSpfRecordCommand : DnsCmdlet
{
    /// <summary>The domains whose SPF record to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "DomainName")]
    [AllowEmptyString]
    public string[] Domain { get; set; }

    /// <summary>Follow include and redirect: the tree, DNS and void lookup totals, loops, and the authorized networks.</summary>
    [Parameter]
    public SwitchParameter Expand { get; set; }

    protected override void ProcessRecord()
    {
        var inspector = new SpfRecordInspector(Resolver);
        foreach (var input in Domain)
        {
            if (!TryNormalizeDomain(input, out var domain)) continue;
            WriteVerbose($"Looking up the SPF record of {domain}{(Expand ? " and following its includes" : string.Empty)}.");
            var result = Await(inspector.InspectAsync(domain, Expand, CancellationToken));
            if (result.Tree != null)
            {
                foreach (var node in result.Tree.Flatten())
                    WriteVerbose($"{new string(' ', node.Depth * 2)}{node.Via ?? node.Domain}: {node.DnsLookupCount} lookup(s){(node.VoidTerms.Count > 0 ? ", void: " + string.Join(" ", node.VoidTerms) : string.Empty)}{(node.IsLoop ? ", LOOP" : string.Empty)}");
            }
            foreach (var f in result.Findings.Where(f => f.Severity == Common.FindingSeverity.Error))
                WriteVerbose($"{f.Code}: {f.Message}");
            WriteObject(result);
            if (result.Status == RecordStatus.Error) WriteLookupFailed(result, domain, "the SPF record", result.ErrorKind);
        }
    }
}
