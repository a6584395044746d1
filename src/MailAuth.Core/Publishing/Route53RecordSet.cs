using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailAuth.Common;

namespace MailAuth.Publishing;

/// <summary>What a Route 53 change does to a resource record set (ChangeResourceRecordSets, Change.Action).</summary>
public enum Route53ChangeAction : long
{
    /// <summary>CREATE: Route 53 refuses it when a set of that name and type exists.</summary>
    Create = 0,

    /// <summary>DELETE: Route 53 refuses it unless the set exists with exactly these values and TTL.</summary>
    Delete = 1,

    /// <summary>UPSERT: create the set, or replace whatever values it has.</summary>
    Upsert = 2,
}

/// <summary>
/// A Route 53 resource record set: every value of one name and type, with one TTL. Values are in Route 53's
/// own form: TXT quoted and split into character-strings, MX with the preference, names as given.
/// </summary>
public sealed class Route53RecordSet
{
    public Route53RecordSet(string name, string type, long? ttl, IEnumerable<string> values, string setIdentifier = null, bool isAlias = false)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("A record set needs a name.", nameof(name));
        if (string.IsNullOrEmpty(type)) throw new ArgumentException("A record set needs a type.", nameof(type));
        Name = ZoneFileWriter.Absolute(name).ToLowerInvariant();
        Type = type.ToUpperInvariant();
        Ttl = ttl;
        Values = ReadOnlyArray.From(values);
        SetIdentifier = setIdentifier ?? string.Empty;
        IsAlias = isAlias;
    }

    /// <summary>The absolute owner name, lower case, with the trailing dot, as Route 53 writes it.</summary>
    public string Name { get; }

    public string Type { get; }

    /// <summary>The TTL in seconds; null for an alias set.</summary>
    public long? Ttl { get; }

    /// <summary>The values in Route 53's form.</summary>
    public ReadOnlyArray<string> Values { get; }

    /// <summary>Set for weighted, latency, failover, geolocation and multivalue sets; empty for a simple set.</summary>
    public string SetIdentifier { get; }

    /// <summary>An alias set (AliasTarget) has no values of its own.</summary>
    public bool IsAlias { get; }

    /// <summary>A simple set: no routing policy and no alias, the only kind MailAuth changes.</summary>
    public bool IsSimple => SetIdentifier.Length == 0 && !IsAlias;

    /// <summary>
    /// What a value means, for comparing values written in different ways: TXT as the joined character-strings
    /// (RFC 7208 §3.3), MX as "preference exchange", host names in lower case without the trailing dot.
    /// </summary>
    public static string ValueKey(string type, string value)
    {
        value = (value ?? string.Empty).Trim();
        switch ((type ?? string.Empty).ToUpperInvariant())
        {
            case "TXT":
            case "SPF":
                return TxtCharacterStrings.Unquote(value);
            case "MX":
                var parts = value.Split(new[] { ' ', '\t' }, 2, StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 2 ? int.Parse(parts[0], CultureInfo.InvariantCulture) + " " + HostKey(parts[1]) : HostKey(value);
            case "CNAME":
            case "NS":
            case "PTR":
                return HostKey(value);
            default:
                return value;
        }
    }

    private static string HostKey(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} {1} {2} {3}", Name, Ttl?.ToString(CultureInfo.InvariantCulture) ?? "alias", Type, string.Join(" | ", Values));
}

/// <summary>One change of a ChangeResourceRecordSets batch: an action on a whole record set.</summary>
public sealed class Route53RecordSetChange
{
    public Route53RecordSetChange(Route53ChangeAction action, Route53RecordSet recordSet)
    {
        Action = action;
        RecordSet = recordSet ?? throw new ArgumentNullException(nameof(recordSet));
    }

    public Route53ChangeAction Action { get; }
    public Route53RecordSet RecordSet { get; }

    /// <summary>CREATE, DELETE or UPSERT, as the API spells it.</summary>
    public string ApiAction => Action.ToString().ToUpperInvariant();

    public override string ToString() => ApiAction + " " + RecordSet;
}
