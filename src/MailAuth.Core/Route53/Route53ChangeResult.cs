using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Route53;

/// <summary>
/// One change batch applied to a Route 53 hosted zone: the change Route 53 accepted, where it is, the changes it
/// carried and, once checked, whether the DNS serves each of them.
/// </summary>
public sealed class Route53ChangeResult
{
    public Route53ChangeResult(Route53HostedZone hostedZone, Route53ChangeInfo changeInfo, IEnumerable<DnsChange> changes,
        IEnumerable<Route53RecordSetChange> recordSetChanges, IEnumerable<DnsChangeCheck> checks = null)
    {
        HostedZone = hostedZone ?? throw new ArgumentNullException(nameof(hostedZone));
        ChangeInfo = changeInfo;
        Changes = ReadOnlyArray.From(changes);
        RecordSetChanges = ReadOnlyArray.From(recordSetChanges);
        Checks = ReadOnlyArray.From(checks);
    }

    public Route53HostedZone HostedZone { get; }
    public string HostedZoneId => HostedZone.Id;
    public string ZoneName => HostedZone.Name;

    /// <summary>Route 53's change; null when the zone already held every change and nothing was sent.</summary>
    public Route53ChangeInfo ChangeInfo { get; }

    /// <summary>The change id, e.g. <c>C2682N5HXP0BZ4</c>; empty when nothing was sent.</summary>
    public string ChangeId => ChangeInfo?.Id ?? string.Empty;

    /// <summary>Pending or InSync; InSync also when nothing needed sending.</summary>
    public Route53ChangeStatus Status => ChangeInfo?.Status ?? Route53ChangeStatus.InSync;

    public DateTimeOffset? SubmittedAt => ChangeInfo?.SubmittedAt;

    /// <summary>The changes applied, as given.</summary>
    public ReadOnlyArray<DnsChange> Changes { get; }

    /// <summary>What Route 53 was asked to do, record set by record set.</summary>
    public ReadOnlyArray<Route53RecordSetChange> RecordSetChanges { get; }

    /// <summary>Each change checked against live DNS; empty when not checked.</summary>
    public ReadOnlyArray<DnsChangeCheck> Checks { get; }

    /// <summary>True when every checked change is served, false when one is not, null when none was checked or a lookup failed.</summary>
    public bool? Served =>
        Checks.Count == 0 || Checks.Any(c => c.Status == DnsChangeCheckStatus.Error || c.Status == DnsChangeCheckStatus.NotChecked) && Checks.All(c => c.Status != DnsChangeCheckStatus.NotServed)
            ? (bool?)null
            : Checks.All(c => c.Status == DnsChangeCheckStatus.Served);

    /// <summary>The result with the DNS checks of its changes.</summary>
    public Route53ChangeResult WithChecks(IEnumerable<DnsChangeCheck> checks) =>
        new Route53ChangeResult(HostedZone, ChangeInfo, Changes, RecordSetChanges, checks);

    /// <summary>The result with the change's latest state (GetChange).</summary>
    public Route53ChangeResult WithChangeInfo(Route53ChangeInfo changeInfo) =>
        new Route53ChangeResult(HostedZone, changeInfo, Changes, RecordSetChanges, Checks);

    public override string ToString() => $"{ZoneName} {ChangeId} {Status}";
}
