using System.Management.Automation;
using MailAuth.Common;
using MailAuth.PowerShell.Parameters;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes DNS records or changes as the change batch JSON of 'aws route53 change-resource-record-sets'.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "Route53ChangeBatch", DefaultParameterSetName = RecordSet)]
[OutputType(typeof(string))]
public sealed class ConvertToRoute53ChangeBatchCommand : MailAuthCmdlet
{
    private const string RecordSet = DnsRecordInput.RecordSet;
    private const string PropertySet = DnsRecordInput.PropertySet;
    private const string ChangeSet = DnsRecordInput.ChangeSet;
    private const string ChangePropertySet = DnsRecordInput.ChangePropertySet;

    /// <summary>Records from New-SesDkimRecord, New-SesMailFromConfig, Get-SesDnsRecord, New-DmarcRecord.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = RecordSet)]
    public DnsRecord[] InputObject { get; set; }

    /// <summary>The owner name (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [Alias("RecordName")]
    public string Name { get; set; }

    /// <summary>The record type (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [Alias("RecordType")]
    public string Type { get; set; }

    /// <summary>The record data (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Alias("RecordData", "Data")]
    [AllowEmptyString]
    public string Value { get; set; }

    /// <summary>TTL in seconds (by property name); default 3600.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [Alias("TimeToLive")]
    public int Ttl { get; set; } = 3600;

    /// <summary>MX preference (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = PropertySet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [Alias("Preference")]
    public int? Priority { get; set; }

    /// <summary>Changes from Test-SesDomainSetup and the record checks (Add, Replace, Delete).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ChangeSet)]
    public DnsChange[] Change { get; set; }

    /// <summary>The value a Replace or Delete removes (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [AllowEmptyString]
    public string OldValue { get; set; }

    /// <summary>The value an Add or Replace publishes (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [AllowEmptyString]
    public string NewValue { get; set; }

    /// <summary>The MX preference of the record a Replace or Delete removes (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    public int? OldPriority { get; set; }

    private readonly DnsRecordInput _records = new DnsRecordInput();

    protected override void ProcessRecord()
    {
        if (!_records.TryAccept(ParameterSetName, InputObject, Change, Action, Name, Type, Value, OldValue, NewValue, Ttl, Priority, OldPriority, out var error))
            WriteInputError(error);
    }

    /// <summary>
    /// For records: the Route 53 action, UPSERT (default), CREATE or DELETE. For changes by property name: the change's
    /// own action, Add, Replace or Delete (a DnsChange object carries its own).
    /// </summary>
    [Parameter(ParameterSetName = RecordSet)]
    [Parameter(ParameterSetName = PropertySet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [ArgumentCompleter(typeof(Route53ChangeActionCompleter))]
    public string Action { get; set; } = "UPSERT";

    /// <summary>A comment for the change batch.</summary>
    [Parameter]
    public string Comment { get; set; }

    protected override void EndProcessing()
    {
        if (_records.Records.Count == 0 && _records.Changes.Count == 0) return;
        try
        {
            // Changes are planned offline (Route53ChangePlanner); records that come with them are Adds.
            WriteObject(_records.Changes.Count == 0
                ? Route53ChangeBatchWriter.Write(_records.Records, Action, Comment)
                : Route53ChangeBatchWriter.Write(_records.AllChanges, Comment));
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
        }
    }
}
