using System.Management.Automation;
using MailAuth.Common;
using MailAuth.PowerShell.Parameters;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes DNS records as the change batch JSON of 'aws route53 change-resource-record-sets'.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "Route53ChangeBatch", DefaultParameterSetName = RecordSet)]
[OutputType(typeof(string))]
public sealed class ConvertToRoute53ChangeBatchCommand : MailAuthCmdlet
{
    private const string RecordSet = DnsRecordInput.RecordSet;
    private const string PropertySet = DnsRecordInput.PropertySet;

    /// <summary>Records from New-SesDkimRecord, New-SesMailFromConfig, Get-SesDnsRecord, New-DmarcRecord.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = RecordSet)]
    public DnsRecord[] InputObject { get; set; }

    /// <summary>The owner name (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Alias("RecordName")]
    public string Name { get; set; }

    /// <summary>The record type (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Alias("RecordType")]
    public string Type { get; set; }

    /// <summary>The record data (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Alias("RecordData", "Data")]
    [AllowEmptyString]
    public string Value { get; set; }

    /// <summary>TTL in seconds (by property name); default 3600.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Alias("TimeToLive")]
    public int Ttl { get; set; } = 3600;

    /// <summary>MX preference (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Alias("Preference")]
    public int? Priority { get; set; }

    private readonly DnsRecordInput _records = new DnsRecordInput();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == RecordSet) _records.Add(InputObject);
        else if (!_records.TryAdd(Name, Type, Value, Ttl, Priority, out var error)) WriteInputError(error);
    }

    /// <summary>The change action: UPSERT (default), CREATE or DELETE.</summary>
    [Parameter]
    [ValidateSet("UPSERT", "CREATE", "DELETE")]
    public string Action { get; set; } = "UPSERT";

    /// <summary>A comment for the change batch.</summary>
    [Parameter]
    public string Comment { get; set; }

    protected override void EndProcessing()
    {
        if (_records.Records.Count == 0) return;
        try
        {
            WriteObject(Route53ChangeBatchWriter.Write(_records.Records, Action, Comment));
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
        }
    }
}
