using System.Management.Automation;
using MailAuth.PowerShell.Parameters;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes DNS records or changes as BIND zone file lines (TXT data quoted and split into 255-byte strings; records to remove as comments).</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "DnsZoneFile", DefaultParameterSetName = RecordSet)]
[OutputType(typeof(string))]
public sealed class ConvertToDnsZoneFileCommand : MailAuthCmdlet
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

    /// <summary>The change's action, Add, Replace or Delete (by property name).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ChangePropertySet)]
    [ArgumentCompleter(typeof(DnsChangeActionCompleter))]
    public string Action { get; set; }

    protected override void EndProcessing()
    {
        // Records and changes keep their order within each kind: records first, then changes (removals as comments).
        foreach (var line in ZoneFileWriter.Lines(_records.Records)) WriteObject(line);
        foreach (var line in ZoneFileWriter.Lines(_records.Changes)) WriteObject(line);
    }
}
