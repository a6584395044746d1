using System.Linq;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Mx;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the MX records of a domain and the addresses of each exchange.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MxRecord")]
[OutputType(typeof(MxRecordResult))]
public sealed class GetMxRecordCommand : DnsCmdlet
{
    /// <summary>The domains whose MX records to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "DomainName")]
    [AllowEmptyString]
    public string[] Domain { get; set; }

    protected override void ProcessRecord()
    {
        var inspector = new MxInspector(Resolver);
        foreach (var input in Domain)
        {
            if (!TryNormalizeDomain(input, out var domain)) continue;
            WriteVerbose($"Looking up MX {domain}.");
            var set = Await(inspector.InspectAsync(domain, CancellationToken));
            foreach (var row in set.ToResults()) WriteObject(row);
            if (set.Status == RecordStatus.Error) WriteLookupFailed(set, domain, "the MX records", set.ErrorKind);
        }
    }
}
