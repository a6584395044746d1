using System.Collections.Generic;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Ses;

/// <summary>
/// The base of the converters that take DnsRecord objects from the pipeline (by value), or any
/// object with Name, Type, Value, Ttl and Priority (by property name), and write once at the end.
/// </summary>
public abstract class DnsRecordInputCmdlet : MailAuthCmdlet
{
    /// <summary>The parameter set for DnsRecord objects.</summary>
    protected const string RecordSet = "Record";
    /// <summary>The parameter set for objects with record-like properties.</summary>
    protected const string PropertySet = "Property";

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

    /// <summary>Everything received, in order.</summary>
    protected List<DnsRecord> Records { get; } = new List<DnsRecord>();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == RecordSet)
        {
            foreach (var r in InputObject) if (r != null) Records.Add(r);
            return;
        }
        try
        {
            Records.Add(new DnsRecord(Name, Type, Value, Ttl, Priority));
        }
        catch (System.ArgumentException ex)
        {
            WriteInputError(new MailAuthInputException("InvalidDnsRecord", ex.Message, Name));
        }
    }
}
