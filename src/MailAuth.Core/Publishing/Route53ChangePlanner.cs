using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.Publishing;

/// <summary>
/// Turns <see cref="DnsChange"/>s (one record each) into Route 53 changes (a whole record set each). Route 53 keeps
/// every value of a name and type in one set, so replacing or deleting one value of a set means deleting the set
/// exactly as it is and creating it again with the other values: DELETE of the current set, then CREATE of the new
/// one, in one atomic batch. A DELETE that does not match the set's current values and TTL exactly is refused by
/// Route 53, so a set that changed after it was read makes the whole batch fail and leaves the zone as it was.
/// </summary>
public static class Route53ChangePlanner
{
    /// <summary>ErrorId: a change removes a value the zone's record set does not hold (the plan is stale).</summary>
    public const string RecordSetChangedErrorId = "Route53RecordSetChanged";

    /// <summary>ErrorId: a change touches an alias set or a set with a routing policy, which MailAuth does not change.</summary>
    public const string RecordSetUnsupportedErrorId = "Route53RecordSetUnsupported";

    /// <summary>
    /// Offline: the current sets are not known, so the old values the changes name are taken as the whole set.
    /// A set with only Adds is a CREATE (refused by Route 53 if the set exists, rather than overwriting it); a set
    /// with Replaces or Deletes is a DELETE of the old values with the changes' TTL, then a CREATE of the new ones.
    /// When the set holds other values (or another TTL) Route 53 refuses the batch and nothing changes.
    /// </summary>
    public static Route53ChangePlan Plan(IEnumerable<DnsChange> changes) => Plan(changes, null);

    /// <param name="changes">The changes, in order.</param>
    /// <param name="currentSet">
    /// The zone's current simple set of a name (absolute, lower case) and type, or null when there is none; null for
    /// the offline plan. Throws <see cref="MailAuthInputException"/> with <see cref="RecordSetChangedErrorId"/> when a
    /// change removes a value that is not there, <see cref="RecordSetUnsupportedErrorId"/> for alias and routing-policy
    /// sets, and <see cref="Route53ChangeBatchWriter.TtlConflictErrorId"/> when the changes of one set disagree on the TTL.
    /// </param>
    public static Route53ChangePlan Plan(IEnumerable<DnsChange> changes, Func<string, string, IReadOnlyList<Route53RecordSet>> currentSet)
    {
        var list = (changes ?? Enumerable.Empty<DnsChange>()).Where(c => c != null).ToList();
        var result = new List<Route53RecordSetChange>();
        foreach (var set in list.GroupBy(c => (Name: ZoneFileWriter.Absolute(c.Name).ToLowerInvariant(), c.Type)))
        {
            var published = set.Where(c => c.Action != DnsChangeAction.Delete).Select(c => c.Ttl).Distinct().ToList();
            if (published.Count > 1)
                throw new MailAuthInputException(Route53ChangeBatchWriter.TtlConflictErrorId,
                    $"The {set.Key.Type} changes of {set.Key.Name} publish different TTLs ({string.Join(", ", published)}); Route 53 keeps one TTL per record set.", set.Key.Name);
            if (currentSet == null) result.AddRange(PlanOffline(set.Key.Name, set.Key.Type, set.ToList()));
            else result.AddRange(PlanOnline(set.Key.Name, set.Key.Type, set.ToList(), currentSet(set.Key.Name, set.Key.Type)));
        }
        return new Route53ChangePlan(list, result);
    }

    private static IEnumerable<Route53RecordSetChange> PlanOffline(string name, string type, IReadOnlyList<DnsChange> changes)
    {
        var ttl = changes.First().Ttl;
        var olds = Distinct(type, changes.Where(c => c.Action != DnsChangeAction.Add).Select(c => Route53ChangeBatchWriter.Value(c.OldRecord)));
        var news = Distinct(type, changes.Where(c => c.Action != DnsChangeAction.Delete).Select(c => Route53ChangeBatchWriter.Value(c.NewRecord)));
        if (olds.Count > 0) yield return new Route53RecordSetChange(Route53ChangeAction.Delete, new Route53RecordSet(name, type, ttl, olds));
        if (news.Count > 0) yield return new Route53RecordSetChange(Route53ChangeAction.Create, new Route53RecordSet(name, type, ttl, news));
    }

    private static IEnumerable<Route53RecordSetChange> PlanOnline(string name, string type, IReadOnlyList<DnsChange> changes, IReadOnlyList<Route53RecordSet> sets)
    {
        sets = sets ?? Array.Empty<Route53RecordSet>();
        var unsupported = sets.FirstOrDefault(s => !s.IsSimple);
        if (unsupported != null)
            throw new MailAuthInputException(RecordSetUnsupportedErrorId,
                $"The {type} record set of {name} is {(unsupported.IsAlias ? "an alias" : "a routing-policy set (SetIdentifier '" + unsupported.SetIdentifier + "')")}; MailAuth changes only simple record sets. Change it in the Route 53 console or with the AWS CLI.",
                name);
        var current = sets.FirstOrDefault();
        var values = current?.Values.ToList() ?? new List<string>();
        foreach (var change in changes)
        {
            if (change.Action != DnsChangeAction.Add)
            {
                var old = Route53ChangeBatchWriter.Value(change.OldRecord);
                var at = values.FindIndex(v => Route53RecordSet.ValueKey(type, v) == Route53RecordSet.ValueKey(type, old));
                if (at < 0)
                    throw new MailAuthInputException(RecordSetChangedErrorId,
                        $"The change '{change}' removes {type} {old} at {name}, but the hosted zone's set {(current == null ? "does not exist" : "holds " + string.Join(" | ", current.Values))}. The plan is stale: check the records again and make a new plan. Nothing was sent to Route 53.",
                        change.Name);
                values.RemoveAt(at);
            }
            if (change.Action != DnsChangeAction.Delete)
            {
                var value = Route53ChangeBatchWriter.Value(change.NewRecord);
                if (!values.Any(v => Route53RecordSet.ValueKey(type, v) == Route53RecordSet.ValueKey(type, value))) values.Add(value);
            }
        }
        var publishes = changes.Any(c => c.Action != DnsChangeAction.Delete);
        long? ttl = publishes ? changes.First(c => c.Action != DnsChangeAction.Delete).Ttl : current?.Ttl;
        if (current == null)
        {
            if (values.Count > 0) yield return new Route53RecordSetChange(Route53ChangeAction.Create, new Route53RecordSet(name, type, ttl, values));
            yield break;
        }
        var same = ttl == current.Ttl && values.Count == current.Values.Count
            && values.Select(v => Route53RecordSet.ValueKey(type, v)).OrderBy(k => k, StringComparer.Ordinal)
                .SequenceEqual(current.Values.Select(v => Route53RecordSet.ValueKey(type, v)).OrderBy(k => k, StringComparer.Ordinal));
        if (same) yield break;
        yield return new Route53RecordSetChange(Route53ChangeAction.Delete, current);
        if (values.Count > 0) yield return new Route53RecordSetChange(Route53ChangeAction.Create, new Route53RecordSet(name, type, ttl, values));
    }

    private static List<string> Distinct(string type, IEnumerable<string> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return values.Where(v => seen.Add(Route53RecordSet.ValueKey(type, v))).ToList();
    }
}

/// <summary>
/// What a batch of <see cref="DnsChange"/>s becomes in Route 53: the record-set changes to send, and the diff a
/// person reads before it is sent (-WhatIf, -Confirm).
/// </summary>
public sealed class Route53ChangePlan
{
    internal Route53ChangePlan(IEnumerable<DnsChange> changes, IEnumerable<Route53RecordSetChange> recordSetChanges)
    {
        Changes = ReadOnlyArray.From(changes);
        RecordSetChanges = ReadOnlyArray.From(recordSetChanges);
    }

    /// <summary>The changes as given.</summary>
    public ReadOnlyArray<DnsChange> Changes { get; }

    /// <summary>The Route 53 changes, in the order they are sent; empty when the zone already holds every change.</summary>
    public ReadOnlyArray<Route53RecordSetChange> RecordSetChanges { get; }

    /// <summary>
    /// Each change as diff lines: <c>-</c> the record removed, <c>+</c> the record published (TTL, type, value), then
    /// one <c>#</c> line per record-set change Route 53 is asked to make.
    /// </summary>
    public IReadOnlyList<string> Diff()
    {
        var lines = new List<string>();
        foreach (var change in Changes)
        {
            if (change.OldRecord != null) lines.Add("- " + Line(change.OldRecord));
            if (change.NewRecord != null) lines.Add("+ " + Line(change.NewRecord));
        }
        foreach (var set in RecordSetChanges)
            lines.Add(string.Format(CultureInfo.InvariantCulture, "# {0} {1} {2} ({3} value{4})", set.ApiAction, set.RecordSet.Name, set.RecordSet.Type,
                set.RecordSet.Values.Count, set.RecordSet.Values.Count == 1 ? string.Empty : "s"));
        return lines;
    }

    private static string Line(DnsRecord record) =>
        string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", record.Name, record.Ttl, record.Type, Route53ChangeBatchWriter.Value(record));
}
