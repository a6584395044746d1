using System.Linq;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Dkim;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the DKIM key records of a domain's selectors and judges them.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DkimRecord")]
[OutputType(typeof(DkimRecordResult))]
public sealed class GetDkimRecordCommand : DnsCmdlet
{
    /// <summary>The signing domain (d=).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("DomainName", "SigningDomain")]
    [AllowEmptyString]
    public string Domain { get; set; }

    /// <summary>The selectors (s=) to look up.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string[] Selector { get; set; }

    protected override void ProcessRecord()
    {
        if (!TryNormalizeDomain(Domain, out var domain)) return;
        var inspector = new DkimKeyInspector(Resolver);
        foreach (var selector in Selector)
        {
            try
            {
                WriteVerbose($"Looking up TXT {selector}._domainkey.{domain}.");
                var result = Await(inspector.InspectAsync(domain, selector, CancellationToken));
                if (result.CnameTarget != null) WriteVerbose($"{result.Name} is a CNAME to {result.CnameTarget}.");
                WriteObject(result);
                if (result.Status == RecordStatus.Error) WriteLookupFailed(result, result.Name, "the DKIM key", result.ErrorKind);
            }
            catch (MailAuthInputException ex)
            {
                WriteInputError(ex);
            }
        }
    }
}
