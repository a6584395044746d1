using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailAuth.Common;
using MailAuth.Dns;

namespace MailAuth.Publishing;

/// <summary>Whether the DNS serves a change.</summary>
public enum DnsChangeCheckStatus : long
{
    /// <summary>The DNS serves the record the change publishes, and no longer the one it removes.</summary>
    Served = 0,

    /// <summary>The DNS answered, and does not (yet) serve the change.</summary>
    NotServed = 1,

    /// <summary>The lookup failed (timeout, SERVFAIL, ...): whether the change is served is not known.</summary>
    Error = 2,

    /// <summary>A record type MailAuth does not look up; nothing was asked.</summary>
    NotChecked = 3,
}

/// <summary>One change checked against live DNS: what the DNS answered and whether that is the change.</summary>
public sealed class DnsChangeCheck
{
    public DnsChangeCheck(DnsChange change, DnsChangeCheckStatus status, IEnumerable<string> servedValues, string message)
    {
        Change = change ?? throw new ArgumentNullException(nameof(change));
        Status = status;
        ServedValues = ReadOnlyArray.From(servedValues);
        Message = message ?? string.Empty;
    }

    public DnsChange Change { get; }
    public string Name => Change.Name;
    public string Type => Change.Type;
    public DnsChangeCheckStatus Status { get; }

    /// <summary>The values the DNS answered for the name and type (TXT joined, MX as "preference exchange").</summary>
    public ReadOnlyArray<string> ServedValues { get; }

    /// <summary>What was found, for a person.</summary>
    public string Message { get; }

    public override string ToString() => $"{Status} {Change}";
}

/// <summary>
/// Asks the DNS whether changes are served: for an Add or a Replace the new value must be in the answer, for a
/// Replace or a Delete the old value must no longer be. Values are compared as <see cref="Route53RecordSet.ValueKey"/>
/// does (TXT joined, names without case or trailing dot). Give a resolver without a cache, pointed at the zone's
/// authoritative servers, to see the change as soon as it is applied: a recursive resolver may keep the old answer
/// for its TTL (or, for a name that did not exist, the SOA minimum).
/// </summary>
public static class DnsChangeVerifier
{
    public static async Task<IReadOnlyList<DnsChangeCheck>> VerifyAsync(IDnsResolver resolver, IEnumerable<DnsChange> changes, CancellationToken cancellationToken = default)
    {
        var checks = new List<DnsChangeCheck>();
        foreach (var change in changes)
            checks.Add(await VerifyAsync(resolver, change, cancellationToken).ConfigureAwait(false));
        return checks;
    }

    public static async Task<DnsChangeCheck> VerifyAsync(IDnsResolver resolver, DnsChange change, CancellationToken cancellationToken = default)
    {
        if (!Enum.TryParse<DnsRecordType>(change.Type, true, out var type) || type == DnsRecordType.SOA)
            return new DnsChangeCheck(change, DnsChangeCheckStatus.NotChecked, null, $"{change.Type} records are not looked up; check {change.Name} by hand.");
        var answer = await resolver.QueryAsync(change.Name, type, cancellationToken).ConfigureAwait(false);
        if (answer.IsError)
            return new DnsChangeCheck(change, DnsChangeCheckStatus.Error, null, answer.Describe());
        var served = answer.Records.Where(r => r.Type == type).Select(Value).ToList();
        var keys = new HashSet<string>(served.Select(v => Route53RecordSet.ValueKey(change.Type, v)), StringComparer.Ordinal);
        var missing = change.NewRecord != null && !keys.Contains(Key(change.NewRecord));
        var left = change.OldRecord != null && keys.Contains(Key(change.OldRecord));
        if (!missing && !left) return new DnsChangeCheck(change, DnsChangeCheckStatus.Served, served, "served");
        var what = new List<string>();
        if (missing) what.Add($"{change.NewValue} is not served");
        if (left) what.Add($"{change.OldValue} is still served");
        var answered = served.Count == 0 ? answer.Describe() : "the DNS serves " + string.Join(" | ", served);
        return new DnsChangeCheck(change, DnsChangeCheckStatus.NotServed, served, string.Join(" and ", what) + "; " + answered);
    }

    private static string Key(DnsRecord record) => Route53RecordSet.ValueKey(record.Type, Route53ChangeBatchWriter.Value(record));

    private static string Value(DnsResourceRecord record)
    {
        switch (record.Type)
        {
            case DnsRecordType.TXT:
            case DnsRecordType.SPF: return record.JoinedText;
            case DnsRecordType.A:
            case DnsRecordType.AAAA: return record.Address.ToString();
            case DnsRecordType.MX: return record.Preference.ToString(CultureInfo.InvariantCulture) + " " + record.Target;
            default: return record.Target;
        }
    }
}
