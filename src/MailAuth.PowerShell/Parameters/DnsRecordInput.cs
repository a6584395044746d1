using System;
using System.Collections.Generic;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// The records a writer cmdlet (ConvertTo-DnsZoneFile, ConvertTo-Route53ChangeBatch) collects from the pipeline:
/// DnsRecord objects by value, or any object with Name, Type, Value, Ttl and Priority by property name (Import-Csv).
/// </summary>
internal sealed class DnsRecordInput
{
    /// <summary>The parameter set for DnsRecord objects.</summary>
    internal const string RecordSet = "Record";

    /// <summary>The parameter set for objects with record-like properties.</summary>
    internal const string PropertySet = "Property";

    /// <summary>Everything received, in order.</summary>
    internal List<DnsRecord> Records { get; } = new List<DnsRecord>();

    internal void Add(IEnumerable<DnsRecord> records)
    {
        foreach (var r in records) if (r != null) Records.Add(r);
    }

    /// <summary>Adds a record made of properties; false with an InvalidDnsRecord error when they make none.</summary>
    internal bool TryAdd(string name, string type, string value, int ttl, int? priority, out MailAuthInputException error)
    {
        try
        {
            Records.Add(new DnsRecord(name, type, value, ttl, priority));
            error = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            error = new MailAuthInputException("InvalidDnsRecord", ex.Message, name);
            return false;
        }
    }
}
