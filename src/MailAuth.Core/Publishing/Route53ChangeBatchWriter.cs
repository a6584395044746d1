using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MailAuth.Common;

namespace MailAuth.Publishing;

/// <summary>
/// Writes <see cref="DnsRecord"/>s as the change batch that <c>aws route53 change-resource-record-sets
/// --change-batch file://batch.json</c> takes (Route 53 API ChangeResourceRecordSets): one change per
/// resource record set, i.e. records with the same name and type are one set with several values.
/// </summary>
public static class Route53ChangeBatchWriter
{
    /// <summary>ErrorId for an action other than CREATE, UPSERT or DELETE.</summary>
    public const string InvalidActionErrorId = "Route53InvalidAction";

    /// <summary>ErrorId for records of one set that disagree on the TTL.</summary>
    public const string TtlConflictErrorId = "Route53TtlConflict";

    /// <summary>The JSON document, indented.</summary>
    public static string Write(IEnumerable<DnsRecord> records, string action = "UPSERT", string comment = null)
    {
        var act = (action ?? "UPSERT").Trim().ToUpperInvariant();
        if (act != "CREATE" && act != "UPSERT" && act != "DELETE")
            throw new MailAuthInputException(InvalidActionErrorId, $"'{action}' is not a Route 53 change action: use CREATE, UPSERT or DELETE.", action);

        var sets = records
            .GroupBy(r => (Name: ZoneFileWriter.Absolute(r.Name).ToLowerInvariant(), r.Type))
            .ToList();
        foreach (var set in sets)
        {
            if (set.Select(r => r.Ttl).Distinct().Count() > 1)
                throw new MailAuthInputException(TtlConflictErrorId,
                    $"The {set.Key.Type} records of {set.Key.Name} have different TTLs; Route 53 keeps one TTL per record set.", set.Key.Name);
        }

        var apiAction = (Route53ChangeAction)Enum.Parse(typeof(Route53ChangeAction), act, ignoreCase: true);
        return Write(sets.Select(set => new Route53RecordSetChange(apiAction,
            new Route53RecordSet(set.Key.Name, set.Key.Type, set.First().Ttl, set.Select(Value)))), comment);
    }

    /// <summary>
    /// The JSON document for changes that fix findings, planned offline by <see cref="Route53ChangePlanner.Plan(IEnumerable{DnsChange})"/>:
    /// Adds are a CREATE of their set; Replaces and Deletes a DELETE of the old values they name (taken as the whole
    /// set, with the changes' TTL) then a CREATE of the new ones. Route 53 refuses the batch, and changes nothing,
    /// when the set holds other values; Publish-Route53Change reads the current sets and has no such limit.
    /// </summary>
    public static string Write(IEnumerable<DnsChange> changes, string comment = null) =>
        Write(Route53ChangePlanner.Plan(changes).RecordSetChanges, comment);

    /// <summary>The JSON document for record-set changes, in order.</summary>
    public static string Write(IEnumerable<Route53RecordSetChange> changes, string comment)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (!string.IsNullOrEmpty(comment)) json.WriteString("Comment", comment);
            json.WriteStartArray("Changes");
            foreach (var change in changes)
            {
                json.WriteStartObject();
                json.WriteString("Action", change.ApiAction);
                json.WriteStartObject("ResourceRecordSet");
                json.WriteString("Name", change.RecordSet.Name);
                json.WriteString("Type", change.RecordSet.Type);
                if (change.RecordSet.Ttl.HasValue) json.WriteNumber("TTL", change.RecordSet.Ttl.Value);
                json.WriteStartArray("ResourceRecords");
                foreach (var value in change.RecordSet.Values)
                {
                    json.WriteStartObject();
                    json.WriteString("Value", value);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The Route 53 value of one record: TXT quoted and split, MX with its preference.</summary>
    public static string Value(DnsRecord record)
    {
        switch (record.Type)
        {
            case "TXT":
            case "SPF":
                return TxtCharacterStrings.Quote(record.Value);
            case "MX":
                return (record.Priority ?? 10).ToString(CultureInfo.InvariantCulture) + " " + record.Value;
            default:
                return record.Value;
        }
    }
}
