using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using MailAuth.Publishing;

namespace MailAuth.Route53;

/// <summary>
/// The Route 53 REST-XML documents MailAuth sends and reads (API version 2013-04-01): the ChangeResourceRecordSets
/// request, and the answers of ListHostedZonesByName, ListResourceRecordSets, ChangeResourceRecordSets, GetChange
/// and errors. Reading never resolves DTDs or external entities.
/// </summary>
internal static class Route53Xml
{
    internal const string Namespace = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static readonly XNamespace Ns = Namespace;

    /// <summary>The ChangeResourceRecordSetsRequest document, UTF-8.</summary>
    internal static byte[] ChangeRequest(IEnumerable<Route53RecordSetChange> changes, string comment)
    {
        var batch = new XElement(Ns + "ChangeBatch");
        if (!string.IsNullOrEmpty(comment)) batch.Add(new XElement(Ns + "Comment", comment));
        batch.Add(new XElement(Ns + "Changes", changes.Select(c =>
            new XElement(Ns + "Change",
                new XElement(Ns + "Action", c.ApiAction),
                new XElement(Ns + "ResourceRecordSet",
                    new XElement(Ns + "Name", c.RecordSet.Name),
                    new XElement(Ns + "Type", c.RecordSet.Type),
                    c.RecordSet.Ttl.HasValue ? new XElement(Ns + "TTL", c.RecordSet.Ttl.Value.ToString(CultureInfo.InvariantCulture)) : null,
                    new XElement(Ns + "ResourceRecords", c.RecordSet.Values.Select(v =>
                        new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v)))))))));
        var doc = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Ns + "ChangeResourceRecordSetsRequest", batch));
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
            doc.Save(writer);
        return stream.ToArray();
    }

    internal static Route53ChangeInfo ChangeInfo(string xml)
    {
        var info = Parse(xml).Element(Ns + "ChangeInfo") ?? throw new FormatException("no ChangeInfo");
        var status = (string)info.Element(Ns + "Status");
        return new Route53ChangeInfo(
            (string)info.Element(Ns + "Id") ?? throw new FormatException("a ChangeInfo without Id"),
            status == "INSYNC" ? Route53ChangeStatus.InSync : status == "PENDING" ? Route53ChangeStatus.Pending : throw new FormatException("unknown change Status " + status),
            DateTimeOffset.Parse((string)info.Element(Ns + "SubmittedAt") ?? throw new FormatException("a ChangeInfo without SubmittedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            (string)info.Element(Ns + "Comment"));
    }

    /// <summary>The zones of a ListHostedZonesByName answer, in order.</summary>
    internal static IReadOnlyList<Route53HostedZone> HostedZones(string xml) =>
        (Parse(xml).Element(Ns + "HostedZones") ?? throw new FormatException("no HostedZones")).Elements(Ns + "HostedZone").Select(z =>
            new Route53HostedZone(
                (string)z.Element(Ns + "Id") ?? throw new FormatException("a HostedZone without Id"),
                (string)z.Element(Ns + "Name") ?? throw new FormatException("a HostedZone without Name"),
                string.Equals((string)z.Element(Ns + "Config")?.Element(Ns + "PrivateZone"), "true", StringComparison.OrdinalIgnoreCase),
                (long?)z.Element(Ns + "ResourceRecordSetCount") ?? 0)).ToList();

    /// <summary>The sets of a ListResourceRecordSets answer, and whether more follow.</summary>
    internal static (IReadOnlyList<Route53RecordSet> Sets, bool IsTruncated) RecordSets(string xml)
    {
        var root = Parse(xml);
        var sets = (root.Element(Ns + "ResourceRecordSets") ?? throw new FormatException("no ResourceRecordSets")).Elements(Ns + "ResourceRecordSet").Select(RecordSet).ToList();
        return (sets, string.Equals((string)root.Element(Ns + "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase));
    }

    private static Route53RecordSet RecordSet(XElement set) => new Route53RecordSet(
        (string)set.Element(Ns + "Name") ?? throw new FormatException("a ResourceRecordSet without Name"),
        (string)set.Element(Ns + "Type") ?? throw new FormatException("a ResourceRecordSet without Type"),
        (long?)set.Element(Ns + "TTL"),
        set.Element(Ns + "ResourceRecords")?.Elements(Ns + "ResourceRecord").Select(r => (string)r.Element(Ns + "Value") ?? string.Empty) ?? Enumerable.Empty<string>(),
        (string)set.Element(Ns + "SetIdentifier"),
        set.Element(Ns + "AliasTarget") != null);

    /// <summary>
    /// The code and messages of an error answer: <c>ErrorResponse/Error/{Code,Message}</c>, or
    /// <c>InvalidChangeBatch/Messages/Message</c> (one per refused change). Null when the text is not such a document.
    /// </summary>
    internal static (string Code, IReadOnlyList<string> Messages)? Error(string xml)
    {
        XElement root;
        try { root = Parse(xml); }
        catch (FormatException) { return null; }
        if (root.Name.LocalName == "InvalidChangeBatch")
        {
            var messages = root.Element(root.Name.Namespace + "Messages")?.Elements(root.Name.Namespace + "Message").Select(m => m.Value).ToList() ?? new List<string>();
            var single = (string)root.Element(root.Name.Namespace + "Message");
            if (messages.Count == 0 && single != null) messages.Add(single);
            return ("InvalidChangeBatch", messages);
        }
        var error = root.Name.LocalName == "ErrorResponse" ? root.Element(root.Name.Namespace + "Error") : root.Name.LocalName == "Error" ? root : null;
        if (error == null) return null;
        var code = (string)error.Element(error.Name.Namespace + "Code");
        var message = (string)error.Element(error.Name.Namespace + "Message");
        return (code, message == null ? new List<string>() : new List<string> { message });
    }

    private static XElement Parse(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml ?? string.Empty), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader).Root ?? throw new FormatException("an empty XML document");
        }
        catch (XmlException ex)
        {
            throw new FormatException("not XML: " + ex.Message, ex);
        }
    }
}
