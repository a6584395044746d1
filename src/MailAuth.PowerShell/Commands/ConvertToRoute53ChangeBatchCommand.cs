using System.Management.Automation;
using MailAuth.PowerShell.Ses;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes DNS records as the change batch JSON of 'aws route53 change-resource-record-sets'.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "Route53ChangeBatch", DefaultParameterSetName = RecordSet)]
[OutputType(typeof(string))]
public sealed class ConvertToRoute53ChangeBatchCommand : DnsRecordInputCmdlet
{
    /// <summary>The change action: UPSERT (default), CREATE or DELETE.</summary>
    [Parameter]
    [ValidateSet("UPSERT", "CREATE", "DELETE")]
    public string Action { get; set; } = "UPSERT";

    /// <summary>A comment for the change batch.</summary>
    [Parameter]
    public string Comment { get; set; }

    protected override void EndProcessing()
    {
        if (Records.Count == 0) return;
        try
        {
            WriteObject(Route53ChangeBatchWriter.Write(Records, Action, Comment));
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
        }
    }
}
