using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace MailAuth.Publishing;

/// <summary>
/// Writes <see cref="DnsRecord"/>s as master-file lines (RFC 1035 §5.1, the BIND zone file format):
/// absolute owner names, TTL, class IN, type, and RDATA with TXT data quoted and split into 255-byte strings.
/// </summary>
public static class ZoneFileWriter
{
    /// <summary>One line for one record.</summary>
    public static string Line(DnsRecord record)
    {
        var name = Absolute(record.Name);
        string data;
        switch (record.Type)
        {
            case "TXT":
            case "SPF":
                data = TxtCharacterStrings.Quote(record.Value);
                break;
            case "MX":
                data = (record.Priority ?? 10).ToString(CultureInfo.InvariantCulture) + " " + Absolute(record.Value);
                break;
            case "CNAME":
            case "NS":
            case "PTR":
                data = Absolute(record.Value);
                break;
            default:
                data = record.Value;
                break;
        }
        return string.Format(CultureInfo.InvariantCulture, "{0}\t{1}\tIN\t{2}\t{3}", name, record.Ttl, record.Type, data);
    }

    /// <summary>The lines for many records, in order.</summary>
    public static IReadOnlyList<string> Lines(IEnumerable<DnsRecord> records) => records.Select(Line).ToList();

    /// <summary>
    /// The lines for changes, in order. A master file can only hold records, not remove them: the record a Replace or
    /// Delete removes is written as a comment, <c>; remove: &lt;its line&gt;</c>, for whoever edits the zone, followed by
    /// the line a Replace publishes.
    /// </summary>
    public static IReadOnlyList<string> Lines(IEnumerable<DnsChange> changes)
    {
        var lines = new List<string>();
        foreach (var change in changes)
        {
            if (change.OldRecord != null) lines.Add(RemoveComment + Line(change.OldRecord));
            if (change.NewRecord != null) lines.Add(Line(change.NewRecord));
        }
        return lines;
    }

    /// <summary>What starts the comment that names a record to remove.</summary>
    public const string RemoveComment = "; remove: ";

    internal static string Absolute(string name) => name.EndsWith(".", System.StringComparison.Ordinal) ? name : name + ".";
}
