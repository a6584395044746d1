using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// The records and changes a writer cmdlet (ConvertTo-DnsZoneFile, ConvertTo-Route53ChangeBatch) or Publish-Route53Change
/// collects from the pipeline: DnsRecord or DnsChange objects by value, or any object with record-like (Name, Type,
/// Value, Ttl, Priority) or change-like (Action, Name, Type, OldValue, NewValue, Ttl, Priority, OldPriority) properties
/// by property name (Import-Csv).
/// </summary>
internal sealed class DnsRecordInput
{
    /// <summary>The parameter set for DnsRecord objects.</summary>
    internal const string RecordSet = "Record";

    /// <summary>The parameter set for objects with record-like properties.</summary>
    internal const string PropertySet = "Property";

    /// <summary>The parameter set for DnsChange objects.</summary>
    internal const string ChangeSet = "Change";

    /// <summary>The parameter set for objects with change-like properties.</summary>
    internal const string ChangePropertySet = "ChangeProperty";

    /// <summary>The ErrorId of a change made of properties that make none (unknown action, no old value for a Replace, ...).</summary>
    internal const string InvalidDnsChangeErrorId = "InvalidDnsChange";

    /// <summary>Records received, in order.</summary>
    internal List<DnsRecord> Records { get; } = new List<DnsRecord>();

    /// <summary>Changes received, in order.</summary>
    internal List<DnsChange> Changes { get; } = new List<DnsChange>();

    /// <summary>The changes, with any records received as Adds after them.</summary>
    internal IReadOnlyList<DnsChange> AllChanges => Changes.Concat(Records.Select(r => DnsChange.Add(r, r.Purpose, null))).ToList();

    /// <summary>
    /// Takes what one pipeline object bound in the writers' <paramref name="parameterSet"/>: DnsRecord or DnsChange objects
    /// by value, or the record-like or change-like properties of an object (Import-Csv); false with the error when those
    /// properties make no record or change.
    /// </summary>
    internal bool TryAccept(string parameterSet, IEnumerable<DnsRecord> records, IEnumerable<DnsChange> changes, string action, string name, string type,
        string value, string oldValue, string newValue, int ttl, int? priority, int? oldPriority, out MailAuthInputException error)
    {
        error = null;
        switch (parameterSet)
        {
            case RecordSet: Add(records); return true;
            case ChangeSet: Add(changes); return true;
            case ChangePropertySet: return TryAddChange(action, name, type, oldValue, newValue, ttl, priority, oldPriority, out error);
            default: return TryAdd(name, type, value, ttl, priority, out error);
        }
    }

    internal void Add(IEnumerable<DnsRecord> records)
    {
        foreach (var r in records) if (r != null) Records.Add(r);
    }

    internal void Add(IEnumerable<DnsChange> changes)
    {
        foreach (var c in changes) if (c != null) Changes.Add(c);
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

    /// <summary>Adds a change made of properties; false with an InvalidDnsChange error when they make none.</summary>
    internal bool TryAddChange(string action, string name, string type, string oldValue, string newValue, int ttl, int? priority, int? oldPriority,
        out MailAuthInputException error)
    {
        error = null;
        if (!Enum.TryParse<DnsChangeAction>(action?.Trim(), true, out var parsed) || !Enum.IsDefined(typeof(DnsChangeAction), parsed))
        {
            error = new MailAuthInputException(InvalidDnsChangeErrorId, $"'{action}' is not a change action: use Add, Replace or Delete.", name);
            return false;
        }
        try
        {
            Changes.Add(new DnsChange(parsed, name, type, string.IsNullOrEmpty(oldValue) ? null : oldValue, string.IsNullOrEmpty(newValue) ? null : newValue,
                ttl, priority, oldPriority: oldPriority));
            return true;
        }
        catch (ArgumentException ex)
        {
            error = new MailAuthInputException(InvalidDnsChangeErrorId, ex.Message, name);
            return false;
        }
    }
}
