using System.Management.Automation;
using MailAuth.PowerShell.Ses;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes DNS records as BIND zone file lines (TXT data quoted and split into 255-byte strings).</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "DnsZoneFile", DefaultParameterSetName = RecordSet)]
[OutputType(typeof(string))]
public sealed class ConvertToDnsZoneFileCommand : DnsRecordInputCmdlet
{
    protected override void EndProcessing()
    {
        foreach (var line in ZoneFileWriter.Lines(Records)) WriteObject(line);
    }
}
