using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;

namespace MailAuth.Tests.Infrastructure;

/// <summary>
/// A local stand-in for the Route 53 API (REST-XML, 2013-04-01) on 127.0.0.1:&lt;free port&gt;. Every request's
/// SigV4 signature is checked (<see cref="SigV4Verifier"/>, service route53, region us-east-1, the SES stand-in's
/// keys). It serves ListHostedZonesByName, ListResourceRecordSets (from each zone's record sets), ChangeResourceRecordSets
/// and GetChange (PENDING for <see cref="PendingPolls"/> calls, then INSYNC). A change batch is checked element by
/// element against the API's shape and then as Route 53 does: a CREATE of a set that exists, a DELETE of a set that is
/// not there or not with exactly those values and TTL, a name outside the zone and a CNAME beside other types are
/// refused with InvalidChangeBatch (HTTP 400, Route 53's wording, one Message per refused change), and nothing of the
/// batch is applied. An accepted batch is applied whole; for a zone tied to a running Knot (<see cref="AddZone"/> with
/// a zone file and knotc configuration) the zone file is rewritten with a new SOA serial and Knot reloads it before the
/// answer is sent, so a lookup after the change reads the new records from real DNS. ListHostedZonesByName for a name
/// starting with "accessdenied" answers AccessDenied (HTTP 403).
/// </summary>
public sealed class Route53TestServer : LoopbackHttpServer
{
    public const string Namespace = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static readonly XNamespace Ns = Namespace;

    private readonly object _gate = new object();
    private readonly List<Zone> _zones = new List<Zone>();
    private readonly Dictionary<string, int> _changePolls = new Dictionary<string, int>(StringComparer.Ordinal);
    private int _changeCount;

    /// <summary>How many GetChange calls answer PENDING before INSYNC.</summary>
    public int PendingPolls { get; set; } = 1;

    /// <summary>How many of the next requests answer Throttling (HTTP 400) before being served.</summary>
    public int ThrottleNext { get; set; }

    /// <summary>
    /// Adds a hosted zone. With <paramref name="zoneFile"/> its record sets are read from that master file; with
    /// <paramref name="knotConfig"/> too, accepted changes rewrite the file and <c>knotc -b zone-reload</c> the zone. Without a file the zone has its SOA and NS sets only. Returns the zone id.
    /// </summary>
    public string AddZone(string name, string zoneFile = null, string knotConfig = null, bool privateZone = false)
    {
        var zone = new Zone
        {
            Id = "Z" + (0x10000 + _zones.Count).ToString("X", CultureInfo.InvariantCulture) + "MAILAUTHTEST",
            Name = Absolute(name),
            Private = privateZone,
            ZoneFile = zoneFile,
            KnotConfig = knotConfig,
        };
        if (zoneFile != null) foreach (var set in ZoneFileSets.Read(zoneFile, zone.Name)) zone.Sets[(set.Name, set.Type)] = set;
        else
        {
            zone.Sets[(zone.Name, "SOA")] = new RecordSet(zone.Name, "SOA", 900, new List<string> { $"ns.{zone.Name} hostmaster.{zone.Name} 1 7200 900 1209600 86400" });
            zone.Sets[(zone.Name, "NS")] = new RecordSet(zone.Name, "NS", 172800, new List<string> { "ns-1.awsdns-00.org." });
        }
        lock (_gate) _zones.Add(zone);
        return zone.Id;
    }

    /// <summary>The values of a set as the stand-in holds it (Route 53's form), or null when there is none.</summary>
    public IReadOnlyList<string> Values(string zoneId, string name, string type)
    {
        lock (_gate)
        {
            var zone = _zones.Single(z => z.Id == zoneId);
            return zone.Sets.TryGetValue((Absolute(name), type), out var set) ? set.Values.ToList() : null;
        }
    }

    protected override void Fail(HttpListenerContext ctx, Exception ex) => Error(ctx, 500, "InternalFailure", ex.Message);

    protected override void Handle(HttpListenerContext ctx)
    {
        var req = ctx.Request;
        var path = req.RawUrl.Split('?')[0];
        var received = Record(req, req.RawUrl, out var body);

        var problem = Verify(req, body, "route53", new[] { "us-east-1" }, received);
        var accessKey = received.AccessKey;
        if (problem != null) { received.Status = 403; Error(ctx, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. (" + problem + ")"); return; }
        if (accessKey == SesTestServer.ExpiredAccessKey) { received.Status = 403; Error(ctx, 403, "ExpiredToken", "The security token included in the request is expired"); return; }
        lock (_gate)
        {
            if (ThrottleNext > 0) { ThrottleNext--; received.Status = 400; Error(ctx, 400, "Throttling", "Rate exceeded"); return; }
            received.Status = Route(ctx, req.HttpMethod, path, received.Body);
        }
    }

    private int Route(HttpListenerContext ctx, string method, string path, string body)
    {
        var query = ctx.Request.QueryString;
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 2 || parts[0] != "2013-04-01") return Error(ctx, 404, "InvalidInput", "Unknown operation " + path);
        if (method == "GET" && parts.Length == 2 && parts[1] == "hostedzonesbyname" && (query["dnsname"] ?? string.Empty).StartsWith("accessdenied", StringComparison.Ordinal))
            return Error(ctx, 403, "AccessDenied", "User: arn:aws:iam::111122223333:user/mailauth is not authorized to perform: route53:ListHostedZonesByName");
        if (method == "GET" && parts.Length == 2 && parts[1] == "hostedzonesbyname") return ListHostedZonesByName(ctx, query["dnsname"], query["maxitems"]);
        if (method == "GET" && parts.Length == 3 && parts[1] == "change") return GetChange(ctx, parts[2]);
        if (parts.Length == 4 && parts[1] == "hostedzone" && parts[3] == "rrset")
        {
            var zone = _zones.FirstOrDefault(z => z.Id == parts[2]);
            if (zone == null) return Error(ctx, 404, "NoSuchHostedZone", "No hosted zone found with ID: " + parts[2]);
            if (method == "GET") return ListResourceRecordSets(ctx, zone, query["name"], query["type"], query["maxitems"]);
            if (method == "POST" && path.EndsWith("/", StringComparison.Ordinal)) return ChangeResourceRecordSets(ctx, zone, body);
        }
        return Error(ctx, 404, "InvalidInput", "Unknown operation " + method + " " + path);
    }

    private int ListHostedZonesByName(HttpListenerContext ctx, string dnsName, string maxItems)
    {
        var max = int.Parse(maxItems ?? "100", CultureInfo.InvariantCulture);
        var start = dnsName == null ? null : Reversed(Absolute(dnsName));
        var zones = _zones.OrderBy(z => Reversed(z.Name), StringComparer.Ordinal).ThenBy(z => z.Id, StringComparer.Ordinal)
            .Where(z => start == null || string.CompareOrdinal(Reversed(z.Name), start) >= 0).ToList();
        var doc = new XElement(Ns + "ListHostedZonesByNameResponse",
            new XElement(Ns + "HostedZones", zones.Take(max).Select(z => new XElement(Ns + "HostedZone",
                new XElement(Ns + "Id", "/hostedzone/" + z.Id),
                new XElement(Ns + "Name", z.Name),
                new XElement(Ns + "CallerReference", "mailauth-" + z.Id),
                new XElement(Ns + "Config", new XElement(Ns + "PrivateZone", z.Private ? "true" : "false")),
                new XElement(Ns + "ResourceRecordSetCount", z.Sets.Count)))),
            dnsName == null ? null : new XElement(Ns + "DNSName", dnsName),
            new XElement(Ns + "IsTruncated", zones.Count > max ? "true" : "false"),
            new XElement(Ns + "MaxItems", max));
        return Write(ctx, 200, doc);
    }

    private int ListResourceRecordSets(HttpListenerContext ctx, Zone zone, string name, string type, string maxItems)
    {
        if (type != null && name == null) return Error(ctx, 400, "InvalidInput", "The input is not valid: type without name");
        var max = int.Parse(maxItems ?? "300", CultureInfo.InvariantCulture);
        var ordered = zone.Sets.Values.OrderBy(s => Reversed(s.Name), StringComparer.Ordinal).ThenBy(s => s.Type, StringComparer.Ordinal).ToList();
        if (name != null)
        {
            var from = Reversed(Absolute(name));
            ordered = ordered.Where(s => string.CompareOrdinal(Reversed(s.Name), from) > 0
                || (Reversed(s.Name) == from && (type == null || string.CompareOrdinal(s.Type, type) >= 0))).ToList();
        }
        var doc = new XElement(Ns + "ListResourceRecordSetsResponse",
            new XElement(Ns + "ResourceRecordSets", ordered.Take(max).Select(s => new XElement(Ns + "ResourceRecordSet",
                new XElement(Ns + "Name", s.Name),
                new XElement(Ns + "Type", s.Type),
                new XElement(Ns + "TTL", s.Ttl),
                new XElement(Ns + "ResourceRecords", s.Values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v))))))),
            new XElement(Ns + "IsTruncated", ordered.Count > max ? "true" : "false"),
            ordered.Count > max ? new XElement(Ns + "NextRecordName", ordered[max].Name) : null,
            ordered.Count > max ? new XElement(Ns + "NextRecordType", ordered[max].Type) : null,
            new XElement(Ns + "MaxItems", max));
        return Write(ctx, 200, doc);
    }

    private int ChangeResourceRecordSets(HttpListenerContext ctx, Zone zone, string body)
    {
        List<(string Action, RecordSet Set)> changes;
        string comment;
        try { (comment, changes) = ParseChangeBatch(body); }
        catch (FormatException ex) { return Error(ctx, 400, "InvalidInput", "Invalid XML ; " + ex.Message); }

        var sets = zone.Sets.ToDictionary(p => p.Key, p => p.Value);
        var refusals = new List<string>();
        foreach (var (action, set) in changes)
        {
            var key = (set.Name, set.Type);
            var label = $"[name='{set.Name}', type='{set.Type}']";
            if (set.Name != zone.Name && !set.Name.EndsWith("." + zone.Name, StringComparison.Ordinal))
            {
                refusals.Add($"RRSet with DNS name {set.Name} is not permitted in zone {zone.Name}");
                continue;
            }
            switch (action)
            {
                case "CREATE":
                case "UPSERT":
                    if (action == "CREATE" && sets.ContainsKey(key)) { refusals.Add($"Tried to create resource record set {label} but it already exists"); continue; }
                    if (set.Type == "CNAME" && sets.Keys.Any(k => k.Item1 == set.Name && k.Item2 != "CNAME"))
                    { refusals.Add($"RRSet of type CNAME with DNS name {set.Name} is not permitted as it conflicts with other records with the same DNS name in zone {zone.Name}"); continue; }
                    if (set.Type != "CNAME" && sets.ContainsKey((set.Name, "CNAME")))
                    { refusals.Add($"RRSet of type {set.Type} with DNS name {set.Name} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone {zone.Name}"); continue; }
                    // Route 53 keeps host names absolute, with the trailing dot.
                    sets[key] = set with { Values = set.Values.Select(v => Canonical(set.Type, v)).ToList() };
                    break;
                case "DELETE":
                    if (!sets.TryGetValue(key, out var current)) { refusals.Add($"Tried to delete resource record set {label} but it was not found"); continue; }
                    if (current.Ttl != set.Ttl || !SameValues(set.Type, current.Values, set.Values))
                    { refusals.Add($"Tried to delete resource record set {label} but the values provided do not match the current values"); continue; }
                    sets.Remove(key);
                    break;
            }
        }
        if (refusals.Count > 0)
        {
            var refused = new XElement(Ns + "InvalidChangeBatch",
                new XElement(Ns + "Messages", refusals.Select(m => new XElement(Ns + "Message", m))),
                new XElement(Ns + "RequestId", Guid.NewGuid()));
            return Write(ctx, 400, refused);
        }

        zone.Sets = sets;
        if (zone.ZoneFile != null) ZoneFileSets.Write(zone);
        var id = "C" + (++_changeCount).ToString("D4", CultureInfo.InvariantCulture) + "MAILAUTH";
        _changePolls[id] = 0;
        var doc = new XElement(Ns + "ChangeResourceRecordSetsResponse", ChangeInfo(id, "PENDING", comment));
        return Write(ctx, 200, doc);
    }

    private int GetChange(HttpListenerContext ctx, string id)
    {
        if (!_changePolls.TryGetValue(id, out var polls)) return Error(ctx, 404, "NoSuchChange", "A change with the specified change ID does not exist.");
        _changePolls[id] = polls + 1;
        return Write(ctx, 200, new XElement(Ns + "GetChangeResponse", ChangeInfo(id, polls < PendingPolls ? "PENDING" : "INSYNC", null)));
    }

    private static XElement ChangeInfo(string id, string status, string comment) => new XElement(Ns + "ChangeInfo",
        new XElement(Ns + "Id", "/change/" + id),
        new XElement(Ns + "Status", status),
        new XElement(Ns + "SubmittedAt", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        string.IsNullOrEmpty(comment) ? null : new XElement(Ns + "Comment", comment));

    /// <summary>The changes of a ChangeResourceRecordSetsRequest, checked element by element against the API's shape.</summary>
    internal static (string Comment, List<(string Action, RecordSet Set)> Changes) ParseChangeBatch(string body)
    {
        XDocument doc;
        try { doc = XDocument.Parse(body); }
        catch (XmlException ex) { throw new FormatException("not XML: " + ex.Message); }
        var root = doc.Root;
        if (root.Name != Ns + "ChangeResourceRecordSetsRequest") throw new FormatException("root element " + root.Name + " is not ChangeResourceRecordSetsRequest in " + Namespace);
        var batch = Only(root, "ChangeBatch");
        var comment = (string)batch.Element(Ns + "Comment");
        var changes = Only(batch, "Changes").Elements().Select(change =>
        {
            if (change.Name != Ns + "Change") throw new FormatException("unexpected element " + change.Name.LocalName + " in Changes");
            var action = (string)Only(change, "Action");
            if (action != "CREATE" && action != "DELETE" && action != "UPSERT") throw new FormatException("Action " + action);
            var set = Only(change, "ResourceRecordSet");
            var known = new[] { "Name", "Type", "TTL", "ResourceRecords" };
            var unknown = set.Elements().FirstOrDefault(e => e.Name.Namespace != Ns || !known.Contains(e.Name.LocalName));
            if (unknown != null) throw new FormatException("unexpected element " + unknown.Name + " in ResourceRecordSet");
            var values = Only(set, "ResourceRecords").Elements().Select(r =>
            {
                if (r.Name != Ns + "ResourceRecord") throw new FormatException("unexpected element " + r.Name.LocalName + " in ResourceRecords");
                var value = (string)Only(r, "Value");
                if (string.IsNullOrWhiteSpace(value)) throw new FormatException("an empty Value");
                return value;
            }).ToList();
            if (values.Count == 0) throw new FormatException("ResourceRecords without a ResourceRecord");
            var ttl = long.Parse((string)Only(set, "TTL"), NumberStyles.None, CultureInfo.InvariantCulture);
            return (action, new RecordSet(Absolute((string)Only(set, "Name")), ((string)Only(set, "Type")).ToUpperInvariant(), ttl, values));
        }).ToList();
        if (changes.Count == 0) throw new FormatException("Changes without a Change");
        return (comment, changes);
    }

    private static XElement Only(XElement parent, string name)
    {
        var found = parent.Elements(Ns + name).ToList();
        if (found.Count != 1) throw new FormatException($"{parent.Name.LocalName} has {found.Count} {name} elements in {Namespace}, not one");
        return found[0];
    }

    private static bool SameValues(string type, IReadOnlyCollection<string> a, IReadOnlyCollection<string> b) =>
        a.Count == b.Count && a.Select(v => Canonical(type, v)).OrderBy(v => v, StringComparer.Ordinal)
            .SequenceEqual(b.Select(v => Canonical(type, v)).OrderBy(v => v, StringComparer.Ordinal));

    /// <summary>Route 53 compares values as record data: host names without case, with the trailing dot; TXT strings as written.</summary>
    private static string Canonical(string type, string value)
    {
        if (type == "TXT" || type == "SPF") return value.Trim();
        value = Regex.Replace(value.Trim(), @"\s+", " ");
        switch (type)
        {
            case "CNAME":
            case "NS":
            case "PTR": return Absolute(value);
            case "MX":
                var parts = value.Split(' ');
                return parts.Length == 2 ? int.Parse(parts[0], CultureInfo.InvariantCulture) + " " + Absolute(parts[1]) : value;
            default: return value;
        }
    }

    internal static string Absolute(string name) => name.Trim().TrimEnd('.').ToLowerInvariant() + ".";

    private static string Reversed(string absolute) => string.Join(".", absolute.TrimEnd('.').Split('.').Reverse());

    private static int Error(HttpListenerContext ctx, int status, string code, string message) =>
        Write(ctx, status, new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error", new XElement(Ns + "Type", "Sender"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", Guid.NewGuid())));

    private static int Write(HttpListenerContext ctx, int status, XElement root)
    {
        var bytes = Encoding.UTF8.GetBytes(new XDeclaration("1.0", "UTF-8", null) + "\n" + root.ToString(SaveOptions.DisableFormatting));
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/xml";
        ctx.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        ctx.Response.ContentLength64 = bytes.Length;
        ctx.Response.OutputStream.Write(bytes, 0, bytes.Length);
        ctx.Response.Close();
        return status;
    }

    internal sealed class Zone
    {
        public string Id;
        public string Name;
        public bool Private;
        public string ZoneFile;
        public string KnotConfig;
        public Dictionary<(string, string), RecordSet> Sets = new Dictionary<(string, string), RecordSet>();
    }

    internal sealed record RecordSet(string Name, string Type, long Ttl, IReadOnlyList<string> Values);

    /// <summary>
    /// The record sets of a master file (RFC 1035 §5.1: $ORIGIN, $TTL, @, relative names, a blank owner for the
    /// previous one, parentheses, comments), and the file written back from record sets with a new SOA serial.
    /// </summary>
    internal static class ZoneFileSets
    {
        private static readonly HashSet<string> Types = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { "A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SPF", "SRV", "TXT", "CAA" };

        internal static IEnumerable<RecordSet> Read(string path, string zone)
        {
            var origin = zone;
            long defaultTtl = 3600;
            string owner = zone;
            var sets = new Dictionary<(string, string), RecordSet>();
            foreach (var entry in Entries(File.ReadAllText(path)))
            {
                var tokens = Tokens(entry.Text);
                if (tokens.Count == 0) continue;
                if (tokens[0] == "$ORIGIN") { origin = Absolute(tokens[1]); continue; }
                if (tokens[0] == "$TTL") { defaultTtl = long.Parse(tokens[1], CultureInfo.InvariantCulture); continue; }
                var i = 0;
                if (!entry.StartsBlank) { owner = Name(tokens[0], origin); i = 1; }
                long ttl = defaultTtl;
                while (i < tokens.Count && !Types.Contains(tokens[i]))
                {
                    if (long.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out var t)) ttl = t;
                    i++;
                }
                var type = tokens[i].ToUpperInvariant();
                var data = tokens.Skip(i + 1).ToList();
                string value;
                switch (type)
                {
                    case "CNAME":
                    case "NS":
                    case "PTR": value = Name(data[0], origin); break;
                    case "MX": value = data[0] + " " + Name(data[1], origin); break;
                    case "SOA": value = Name(data[0], origin) + " " + Name(data[1], origin) + " " + string.Join(" ", data.Skip(2)); break;
                    default: value = string.Join(" ", data); break;
                }
                var key = (owner, type);
                var values = sets.TryGetValue(key, out var existing) ? existing.Values.ToList() : new List<string>();
                values.Add(value);
                sets[key] = new RecordSet(owner, type, existing?.Ttl ?? ttl, values);
            }
            return sets.Values;
        }

        /// <summary>Writes the zone's sets (absolute names, the SOA serial raised by one) and has Knot reload the zone.</summary>
        internal static void Write(Zone zone)
        {
            var soaKey = (zone.Name, "SOA");
            var soa = zone.Sets[soaKey].Values[0].Split(' ');
            soa[2] = (long.Parse(soa[2], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
            zone.Sets[soaKey] = zone.Sets[soaKey] with { Values = new List<string> { string.Join(" ", soa) } };
            var text = new StringBuilder("; written by the Route 53 stand-in (Route53TestServer)\n");
            foreach (var set in zone.Sets.Values.OrderBy(s => s.Type == "SOA" ? 0 : 1).ThenBy(s => Reversed(s.Name), StringComparer.Ordinal).ThenBy(s => s.Type, StringComparer.Ordinal))
                foreach (var value in set.Values)
                    text.Append(set.Name).Append(' ').Append(set.Ttl.ToString(CultureInfo.InvariantCulture)).Append(" IN ").Append(set.Type).Append(' ').Append(value).Append('\n');
            File.WriteAllText(zone.ZoneFile, text.ToString());
            if (zone.KnotConfig != null) Reload(zone);
        }

        /// <summary>knotc -b zone-reload: returns once Knot serves the file as it is now.</summary>
        private static void Reload(Zone zone)
        {
            var knotc = KnotDnsServer.FindExecutable("knotc") ?? throw new InvalidOperationException("knotc is not installed (apt-get install knot).");
            var psi = new ProcessStartInfo(knotc) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-b", "-c", zone.KnotConfig, "zone-reload", zone.Name.TrimEnd('.') }) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi);
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("knotc zone-reload failed: " + output);
        }

        private static string Name(string name, string origin) =>
            name == "@" ? origin : name.EndsWith(".", StringComparison.Ordinal) ? name.ToLowerInvariant() : (name + "." + origin).ToLowerInvariant();

        /// <summary>Logical lines: comments removed (outside quotes), parentheses joined; whether the line starts with a blank (the previous owner).</summary>
        private static IEnumerable<(string Text, bool StartsBlank)> Entries(string text)
        {
            var current = new StringBuilder();
            var depth = 0;
            var startsBlank = false;
            foreach (var raw in text.Split('\n'))
            {
                var line = StripComment(raw.TrimEnd('\r'));
                if (depth == 0) { current.Clear(); startsBlank = line.Length > 0 && char.IsWhiteSpace(line[0]); }
                depth += line.Count(c => c == '(') - line.Count(c => c == ')');
                current.Append(' ').Append(line.Replace("(", " ").Replace(")", " "));
                if (depth == 0 && current.ToString().Trim().Length > 0) yield return (current.ToString().Trim(), startsBlank);
            }
        }

        private static string StripComment(string line)
        {
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '\\') { i++; continue; }
                if (line[i] == '"') quoted = !quoted;
                else if (line[i] == ';' && !quoted) return line.Substring(0, i);
            }
            return line;
        }

        /// <summary>Whitespace-separated tokens; a quoted string stays one token, quotes included.</summary>
        private static List<string> Tokens(string text)
        {
            var tokens = new List<string>();
            var i = 0;
            while (i < text.Length)
            {
                if (char.IsWhiteSpace(text[i])) { i++; continue; }
                var start = i;
                if (text[i] == '"')
                {
                    i++;
                    while (i < text.Length && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
                    i++;
                }
                else while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                tokens.Add(text.Substring(start, Math.Min(i, text.Length) - start));
            }
            return tokens;
        }
    }
}
