using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Xml;

namespace MailAuth.DmarcReports;

/// <summary>
/// Reads one aggregate-report XML document forward-only: the header (version, report_metadata,
/// policy_published) first, then one record at a time, so memory stays flat whatever the size.
/// Elements are matched by local name, so the RFC 9990 (urn:ietf:params:xml:ns:dmarc-2.0), the older
/// RFC 7489 (no namespace) and the draft (dmarc.org 0.1) schemas read alike; unknown elements are skipped.
/// No DTD is processed and no resolver is set: no external entity (XXE), no entity expansion.
/// The bytes of the metadata and of each record are bounded (<see cref="ReportSizeLimitStream"/>), and so
/// those of a whole document when it is read into one report object.
/// A document may be in any encoding .NET provides, the legacy code pages included (reporters send
/// windows-1252); one it cannot decode is refused as an unsupported encoding.
/// </summary>
internal sealed class AggregateReportParser : IDisposable
{
    /// <summary>The RFC 9990 namespace (RFC 9990 §6.1).</summary>
    public const string Rfc9990Namespace = "urn:ietf:params:xml:ns:dmarc-2.0";

    private readonly XmlReader _r;
    private readonly ReportSizeLimitStream _limit;
    private readonly XmlDeclarationStream _input;
    private readonly Func<(string, long)> _describeRecord;
    private readonly string _source;
    private readonly string _nRecord, _nRow, _nIdentifiers, _nAuthResults, _nSourceIp, _nCount, _nPolicyEvaluated,
        _nDisposition, _nDkim, _nSpf, _nReason, _nHeaderFrom, _nEnvelopeFrom, _nEnvelopeTo, _nDomain, _nSelector,
        _nResult, _nScope, _nHumanResult, _nType, _nComment;
    private bool _atRecord;
    private bool _done;

    /// <summary>Makes the legacy code pages (windows-1252, koi8-r, shift_jis, ...) available to <see cref="Encoding.GetEncoding(string)"/>, which .NET Core lacks by default.</summary>
    static AggregateReportParser() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <param name="xml">The document; the caller closes it.</param>
    /// <param name="source">The file or entry, named in errors.</param>
    /// <param name="options">The size limits.</param>
    /// <param name="whole">The report is read into one object, so the whole document is bounded too.</param>
    public AggregateReportParser(Stream xml, string source, DmarcReportReaderOptions options, bool whole)
    {
        _source = source;
        _limit = new ReportSizeLimitStream(xml, source, options.MaxRecordBytes, whole ? options.MaxReportBytes : long.MaxValue);
        _input = new XmlDeclarationStream(_limit);
        _describeRecord = () => ($"record {RecordsRead + 1:N0}", RecordsRead);
        var names = new NameTable();
        _nRecord = names.Add("record");
        _nRow = names.Add("row");
        _nIdentifiers = names.Add("identifiers");
        _nAuthResults = names.Add("auth_results");
        _nSourceIp = names.Add("source_ip");
        _nCount = names.Add("count");
        _nPolicyEvaluated = names.Add("policy_evaluated");
        _nDisposition = names.Add("disposition");
        _nDkim = names.Add("dkim");
        _nSpf = names.Add("spf");
        _nReason = names.Add("reason");
        _nHeaderFrom = names.Add("header_from");
        _nEnvelopeFrom = names.Add("envelope_from");
        _nEnvelopeTo = names.Add("envelope_to");
        _nDomain = names.Add("domain");
        _nSelector = names.Add("selector");
        _nResult = names.Add("result");
        _nScope = names.Add("scope");
        _nHumanResult = names.Add("human_result");
        _nType = names.Add("type");
        _nComment = names.Add("comment");
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
            NameTable = names,
        };
        _r = Guard(() => XmlReader.Create(_input, settings), 0);
    }

    /// <summary>How many records were read so far.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>
    /// Reads everything before the first record and checks that the report can be used; nothing of a
    /// report that fails here has been handed out.
    /// </summary>
    public DmarcReportHeader ReadHeader() => Guard(ReadHeaderCore, 0);

    /// <summary>The next record, or null after the last.</summary>
    public DmarcReportRecord ReadRecord() => Guard(ReadRecordCore, RecordsRead);

    private DmarcReportHeader ReadHeaderCore()
    {
        if (_r.MoveToContent() != XmlNodeType.Element || _r.LocalName != "feedback")
            throw new DmarcReportException(DmarcReportException.NotAggregateReportErrorId, _source,
                $"{_source} is XML but not a DMARC aggregate report: its root element is <{_r.LocalName}>, not <feedback> (RFC 9990).");
        var schema = _r.NamespaceURI == Rfc9990Namespace ? ReportSchema.Rfc9990 : ReportSchema.Draft;
        string orgName = null, email = null, extra = null, reportId = null, generator = null;
        DateTime? begin = null, end = null;
        var errors = new List<string>();
        PolicyPublished policy = null;
        bool sawMetadata = false;

        int depth = _r.Depth;
        bool first = true;
        while (NextChild(depth, ref first))
        {
            var name = _r.LocalName;
            if ((object)name == _nRecord)
            {
                _atRecord = true;
                break;
            }
            switch (name)
            {
                case "version":
                    Text();
                    if (schema == ReportSchema.Draft) schema = ReportSchema.Rfc7489;
                    break;
                case "report_metadata":
                    sawMetadata = true;
                    int md = _r.Depth;
                    bool mfirst = true;
                    while (NextChild(md, ref mfirst))
                    {
                        switch (_r.LocalName)
                        {
                            case "org_name": orgName = Text(); break;
                            case "email": email = Text(); break;
                            case "extra_contact_info": extra = Text(); break;
                            case "report_id": reportId = Text(); break;
                            case "generator": generator = Text(); break;
                            case "error": errors.Add(Text()); break;
                            case "date_range":
                                int dd = _r.Depth;
                                bool dfirst = true;
                                while (NextChild(dd, ref dfirst))
                                {
                                    switch (_r.LocalName)
                                    {
                                        case "begin": begin = UnixTime(Text(), "begin"); break;
                                        case "end": end = UnixTime(Text(), "end"); break;
                                        default: _r.Skip(); break;
                                    }
                                }
                                break;
                            default: _r.Skip(); break;
                        }
                    }
                    break;
                case "policy_published":
                    policy = ReadPolicyPublished();
                    break;
                default:
                    _r.Skip();
                    break;
            }
        }
        if (!_atRecord) _done = true;

        if (!sawMetadata)
            throw Malformed("has no <report_metadata> before its first record (RFC 9990)");
        if (string.IsNullOrEmpty(orgName) && string.IsNullOrEmpty(reportId))
            throw Malformed("has neither <org_name> nor <report_id> in <report_metadata>");
        if (begin == null || end == null)
            throw Malformed("has no <date_range> with <begin> and <end> in <report_metadata>");
        if (policy == null)
            throw Malformed("has no <policy_published> before its first record (RFC 9990)");
        // Some reporters write the RFC 9990 format without its namespace; its own elements still say what it is.
        if (schema != ReportSchema.Rfc9990 && (generator != null || policy.DiscoveryMethod != null || policy.Testing != null))
            schema = ReportSchema.Rfc9990;

        return new DmarcReportHeader(_source, schema, orgName, email, extra, reportId, begin.Value, end.Value, errors, generator, policy);
    }

    private PolicyPublished ReadPolicyPublished()
    {
        string domain = null, adkim = null, aspf = null, fo = null, psd = null, discovery = null;
        ReportDisposition? p = null, sp = null, np = null;
        int? pct = null;
        bool? testing = null;
        int depth = _r.Depth;
        bool first = true;
        while (NextChild(depth, ref first))
        {
            switch (_r.LocalName)
            {
                case "domain": domain = Text(); break;
                case "adkim": adkim = ReportEnums.Key(Text()); break;
                case "aspf": aspf = ReportEnums.Key(Text()); break;
                case "p": p = OptionalDisposition(Text()); break;
                case "sp": sp = OptionalDisposition(Text()); break;
                case "np": np = OptionalDisposition(Text()); break;
                case "pct":
                    pct = int.TryParse(Text(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (int?)null;
                    break;
                case "fo": fo = Text(); break;
                case "testing":
                case "t":
                    var t = ReportEnums.Key(Text());
                    testing = t == "y" ? true : t == "n" ? false : (bool?)null;
                    break;
                case "psd": psd = ReportEnums.Key(Text()); break;
                case "discovery_method": discovery = ReportEnums.Key(Text()); break;
                default: _r.Skip(); break;
            }
        }
        return new PolicyPublished(domain, adkim, aspf, p, sp, np, pct, fo, testing, psd, discovery);
    }

    private DmarcReportRecord ReadRecordCore()
    {
        if (_done) return null;
        _limit.BeginSection(_describeRecord);
        if (!_atRecord)
        {
            // Advance to the next <record> among the root's children, skipping extensions.
            while (true)
            {
                if (_r.NodeType == XmlNodeType.EndElement && _r.Depth == 0)
                {
                    _done = true;
                    return null;
                }
                if (_r.NodeType == XmlNodeType.Element && _r.Depth == 1)
                {
                    if ((object)_r.LocalName == _nRecord) break;
                    _r.Skip();
                    continue;
                }
                if (!_r.Read())
                {
                    _done = true;
                    return null;
                }
            }
        }
        _atRecord = false;

        string sourceIp = null, headerFrom = null, envelopeFrom = null, envelopeTo = null;
        long count = 0;
        bool sawCount = false;
        var disposition = ReportDisposition.Unknown;
        var dkimPolicy = ReportDmarcResult.Unknown;
        var spfPolicy = ReportDmarcResult.Unknown;
        List<PolicyOverrideReason> reasons = null;
        List<DkimAuthResult> dkims = null;
        List<SpfAuthResult> spfs = null;

        int depth = _r.Depth;
        bool first = true;
        while (NextChild(depth, ref first))
        {
            var name = _r.LocalName;
            if ((object)name == _nRow)
            {
                int rd = _r.Depth;
                bool rfirst = true;
                while (NextChild(rd, ref rfirst))
                {
                    var rn = _r.LocalName;
                    if ((object)rn == _nSourceIp) sourceIp = Text();
                    else if ((object)rn == _nCount)
                    {
                        var text = Text();
                        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count < 0)
                            throw Malformed($"has a record whose <count> is \"{text}\", not a whole number");
                        sawCount = true;
                    }
                    else if ((object)rn == _nPolicyEvaluated)
                    {
                        int pd = _r.Depth;
                        bool pfirst = true;
                        while (NextChild(pd, ref pfirst))
                        {
                            var pn = _r.LocalName;
                            if ((object)pn == _nDisposition) disposition = ReportEnums.Disposition(Text());
                            else if ((object)pn == _nDkim) dkimPolicy = ReportEnums.DmarcResult(Text());
                            else if ((object)pn == _nSpf) spfPolicy = ReportEnums.DmarcResult(Text());
                            else if ((object)pn == _nReason) (reasons ??= new List<PolicyOverrideReason>()).Add(ReadReason());
                            else _r.Skip();
                        }
                    }
                    else _r.Skip();
                }
            }
            else if ((object)name == _nIdentifiers)
            {
                int id = _r.Depth;
                bool ifirst = true;
                while (NextChild(id, ref ifirst))
                {
                    var n = _r.LocalName;
                    if ((object)n == _nHeaderFrom) headerFrom = Text();
                    else if ((object)n == _nEnvelopeFrom) envelopeFrom = Text();
                    else if ((object)n == _nEnvelopeTo) envelopeTo = Text();
                    else _r.Skip();
                }
            }
            else if ((object)name == _nAuthResults)
            {
                int ad = _r.Depth;
                bool afirst = true;
                while (NextChild(ad, ref afirst))
                {
                    var n = _r.LocalName;
                    if ((object)n == _nDkim) (dkims ??= new List<DkimAuthResult>()).Add(ReadDkim());
                    else if ((object)n == _nSpf) (spfs ??= new List<SpfAuthResult>()).Add(ReadSpf());
                    else _r.Skip();
                }
            }
            else _r.Skip();
        }

        if (string.IsNullOrEmpty(sourceIp) || !sawCount)
            throw Malformed($"has a record (number {RecordsRead + 1}) without <source_ip> or <count>");
        RecordsRead++;
        return new DmarcReportRecord(sourceIp, count, disposition, dkimPolicy, spfPolicy, reasons, headerFrom, envelopeFrom, envelopeTo, dkims, spfs);
    }

    private PolicyOverrideReason ReadReason()
    {
        string type = null, comment = null;
        int depth = _r.Depth;
        bool first = true;
        while (NextChild(depth, ref first))
        {
            var n = _r.LocalName;
            if ((object)n == _nType) type = ReportEnums.Key(Text());
            else if ((object)n == _nComment) comment = Text();
            else _r.Skip();
        }
        return new PolicyOverrideReason(type, comment);
    }

    private DkimAuthResult ReadDkim()
    {
        string domain = null, selector = null, human = null;
        var result = ReportDkimResult.Unknown;
        int depth = _r.Depth;
        bool first = true;
        while (NextChild(depth, ref first))
        {
            var n = _r.LocalName;
            if ((object)n == _nDomain) domain = Text();
            else if ((object)n == _nSelector) selector = Text();
            else if ((object)n == _nResult) result = ReportEnums.DkimResult(Text());
            else if ((object)n == _nHumanResult) human = Text();
            else _r.Skip();
        }
        return new DkimAuthResult(domain, selector, result, human);
    }

    private SpfAuthResult ReadSpf()
    {
        string domain = null, scope = null, human = null;
        var result = ReportSpfResult.Unknown;
        int depth = _r.Depth;
        bool first = true;
        while (NextChild(depth, ref first))
        {
            var n = _r.LocalName;
            if ((object)n == _nDomain) domain = Text();
            else if ((object)n == _nScope) scope = ReportEnums.Key(Text());
            else if ((object)n == _nResult) result = ReportEnums.SpfResult(Text());
            else if ((object)n == _nHumanResult) human = Text();
            else _r.Skip();
        }
        return new SpfAuthResult(domain, scope, result, human);
    }

    /// <summary>
    /// Moves to the next child element of the element at <paramref name="depth"/>. The first call is
    /// made on the parent's start tag; each child must be consumed (Text or Skip or its own loop) so
    /// that the reader stands on the node after it. Returns false after consuming the parent's end tag.
    /// </summary>
    private bool NextChild(int depth, ref bool first)
    {
        if (first)
        {
            first = false;
            bool empty = _r.IsEmptyElement;
            Advance();
            if (empty) return false;
        }
        while (true)
        {
            switch (_r.NodeType)
            {
                case XmlNodeType.Element when _r.Depth == depth + 1:
                    return true;
                case XmlNodeType.EndElement when _r.Depth == depth:
                    Advance();
                    return false;
                case XmlNodeType.Element:
                    _r.Skip();
                    break;
                default:
                    Advance();
                    break;
            }
        }
    }

    private void Advance()
    {
        if (!_r.Read() && _r.EOF && _r.Depth > 0) throw new XmlException("Unexpected end of file.");
    }

    private string Text() => _r.ReadElementContentAsString().Trim();

    private static ReportDisposition? OptionalDisposition(string text)
    {
        var d = ReportEnums.Disposition(text);
        return d == ReportDisposition.Unknown ? (ReportDisposition?)null : d;
    }

    private DateTime UnixTime(string text, string element)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d < 253402300799 && (seconds = (long)d) >= 0))
        {
            if (seconds >= 0 && seconds < 253402300799) return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        }
        throw Malformed($"has <{element}>{text}</{element}> in <date_range>, which is not seconds since 1970 (RFC 9990)");
    }

    private DmarcReportException Malformed(string what) =>
        new DmarcReportException(DmarcReportException.MalformedErrorId, _source, $"{_source} {what}; it was not imported.", RecordsRead);

    /// <summary>Runs a step of the parse and turns XML and decoding errors into a <see cref="DmarcReportException"/> with a stable id.</summary>
    private T Guard<T>(Func<T> step, long recordsRead)
    {
        try
        {
            return step();
        }
        catch (XmlException ex)
        {
            throw Classify(ex, recordsRead);
        }
        catch (DecoderFallbackException ex)
        {
            throw InvalidEncoding(ex, recordsRead);
        }
        catch (ArgumentException ex) when (ex.Message.IndexOf("encoding", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            // An encoding named in the XML declaration that this runtime does not know.
            throw InvalidEncoding(ex, recordsRead);
        }
    }

    private DmarcReportException Classify(XmlException ex, long recordsRead)
    {
        string after = recordsRead > 0 ? $" after {recordsRead:N0} record(s), which were already written" : string.Empty;
        if (ex.InnerException is DecoderFallbackException || ex.Message.IndexOf("encoding", StringComparison.OrdinalIgnoreCase) >= 0)
            return InvalidEncoding(ex, recordsRead);
        if (ex.Message.IndexOf("DTD", StringComparison.Ordinal) >= 0)
            return new DmarcReportException(DmarcReportException.DtdProhibitedErrorId, _source,
                $"{_source} contains a DTD (<!DOCTYPE>), which aggregate reports never have; it was refused so that no external entity or entity expansion (XXE, billion laughs) is processed.",
                recordsRead, ex);
        return new DmarcReportException(DmarcReportException.NotXmlErrorId, _source,
            $"{_source} is not well-formed XML{after}: {ex.Message}", recordsRead, ex);
    }

    private DmarcReportException InvalidEncoding(Exception ex, long recordsRead)
    {
        var unsupported = _input.UnsupportedEncoding;
        if (unsupported != null)
            return new DmarcReportException(DmarcReportException.UnsupportedEncodingErrorId, _source,
                $"{_source} is in an unsupported encoding {unsupported} (named in its XML declaration), which .NET cannot decode; it was not imported. Ask the reporter for UTF-8.",
                recordsRead, ex);
        return new DmarcReportException(DmarcReportException.InvalidEncodingErrorId, _source,
            $"{_source} has bytes that are not valid in its encoding (reports are UTF-8){(recordsRead > 0 ? $", after {recordsRead:N0} record(s) that were already written" : string.Empty)}: {ex.Message}",
            recordsRead, ex);
    }

    public void Dispose() => _r?.Dispose();
}
