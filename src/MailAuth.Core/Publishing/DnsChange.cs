using System;
using System.Globalization;

namespace MailAuth.Publishing;

/// <summary>What a <see cref="DnsChange"/> does to one record.</summary>
public enum DnsChangeAction : long
{
    /// <summary>Publish a record that is not there.</summary>
    Add = 0,

    /// <summary>Replace one exact record (<see cref="DnsChange.OldValue"/>) with another (<see cref="DnsChange.NewValue"/>).</summary>
    Replace = 1,

    /// <summary>Remove one exact record (<see cref="DnsChange.OldValue"/>).</summary>
    Delete = 2,
}

/// <summary>
/// One DNS change that fixes a finding: what to add, replace or delete, and why. Checks that find a difference
/// between what is published and what should be (Test-SesDomainSetup, the record checks) give these, and the
/// writers (zone file, Route 53 change batch) and the Route 53 apply take them. A plan only ever deletes or
/// replaces a record it saw: <see cref="OldValue"/> is that record's exact value.
/// </summary>
public sealed class DnsChange
{
    public DnsChange(DnsChangeAction action, string name, string type, string oldValue, string newValue,
        int ttl = 3600, int? priority = null, string reason = null, string reference = null, int? oldPriority = null)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A change needs a record name.", nameof(name));
        if (string.IsNullOrEmpty(type)) throw new ArgumentException("A change needs a record type.", nameof(type));
        if (action != DnsChangeAction.Add && oldValue == null)
            throw new ArgumentException($"A {action} names the exact record it removes.", nameof(oldValue));
        if (action != DnsChangeAction.Delete && newValue == null)
            throw new ArgumentException($"An {action} names the record it publishes.", nameof(newValue));
        Action = action;
        Name = name.TrimEnd('.');
        Type = type.ToUpperInvariant();
        OldValue = action == DnsChangeAction.Add ? string.Empty : oldValue;
        NewValue = action == DnsChangeAction.Delete ? string.Empty : newValue;
        Ttl = ttl;
        Priority = action == DnsChangeAction.Delete ? null : priority;
        OldPriority = action == DnsChangeAction.Add ? null : oldPriority;
        Reason = reason ?? string.Empty;
        Reference = reference ?? string.Empty;
    }

    /// <summary>Add, Replace or Delete.</summary>
    public DnsChangeAction Action { get; }

    /// <summary>The owner name, without a trailing dot.</summary>
    public string Name { get; }

    /// <summary>TXT, CNAME, MX, ...</summary>
    public string Type { get; }

    /// <summary>The exact value of the record removed (Replace, Delete); empty for Add. TXT without quotes, MX without the preference.</summary>
    public string OldValue { get; }

    /// <summary>The value published (Add, Replace); empty for Delete.</summary>
    public string NewValue { get; }

    /// <summary>TTL of the record published, in seconds.</summary>
    public int Ttl { get; }

    /// <summary>MX preference of the record published; null for other types.</summary>
    public int? Priority { get; }

    /// <summary>MX preference of the record removed; null for other types.</summary>
    public int? OldPriority { get; }

    /// <summary>Why the change is needed, for a person.</summary>
    public string Reason { get; }

    /// <summary>The document and section behind the change, e.g. <c>RFC 7208 §4.5</c> or an AWS guide.</summary>
    public string Reference { get; }

    /// <summary>The record this change publishes; null for a Delete.</summary>
    public DnsRecord NewRecord => Action == DnsChangeAction.Delete ? null : new DnsRecord(Name, Type, NewValue, Ttl, Priority, Reason);

    /// <summary>The record this change removes; null for an Add.</summary>
    public DnsRecord OldRecord => Action == DnsChangeAction.Add ? null : new DnsRecord(Name, Type, OldValue, Ttl, OldPriority, Reason);

    public static DnsChange Add(DnsRecord record, string reason, string reference) =>
        new DnsChange(DnsChangeAction.Add, record.Name, record.Type, null, record.Value, record.Ttl, record.Priority, reason, reference);

    public static DnsChange Delete(DnsRecord record, string reason, string reference) =>
        new DnsChange(DnsChangeAction.Delete, record.Name, record.Type, record.Value, null, record.Ttl, null, reason, reference, record.Priority);

    public static DnsChange Replace(DnsRecord old, DnsRecord replacement, string reason, string reference) =>
        new DnsChange(DnsChangeAction.Replace, replacement.Name, replacement.Type, old.Value, replacement.Value, replacement.Ttl, replacement.Priority, reason, reference, old.Priority);

    public override string ToString()
    {
        switch (Action)
        {
            case DnsChangeAction.Add: return string.Format(CultureInfo.InvariantCulture, "+ {0} {1} {2}", Name, Type, NewValue);
            case DnsChangeAction.Delete: return string.Format(CultureInfo.InvariantCulture, "- {0} {1} {2}", Name, Type, OldValue);
            default: return string.Format(CultureInfo.InvariantCulture, "~ {0} {1} {2} -> {3}", Name, Type, OldValue, NewValue);
        }
    }
}
