using System;
using System.Collections.Generic;
using System.Linq;
using MailAuth.Dns;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Dmarc;

/// <summary>
/// Builds the DMARC TXT record to publish at <c>_dmarc.&lt;domain&gt;</c> (RFC 9989 §4.7) from validated
/// input, in the <c>v=DMARC1; p=none;</c> form people paste into DNS consoles. Bad input throws
/// <see cref="MailAuthInputException"/> with a stable ErrorId; nothing is half-built.
/// </summary>
public sealed class DmarcRecordBuilder
{
    public const string InvalidReportUriErrorId = "DmarcInvalidReportUri";
    public const string InvalidFailureOptionsErrorId = "DmarcInvalidFailureOptions";
    public const string InvalidTtlErrorId = "DmarcInvalidTtl";

    /// <summary>The domain the policy is for (the record goes at _dmarc.&lt;domain&gt;).</summary>
    public string Domain { get; set; }

    public DmarcPolicy Policy { get; set; }
    public DmarcPolicy? SubdomainPolicy { get; set; }
    public DmarcPolicy? NonExistentSubdomainPolicy { get; set; }
    public AlignmentMode? DkimAlignment { get; set; }
    public AlignmentMode? SpfAlignment { get; set; }

    /// <summary>rua= destinations: <c>mailto:</c> URIs, or bare addresses (mailto: is added).</summary>
    public IList<string> ReportUri { get; set; } = new List<string>();

    /// <summary>ruf= destinations.</summary>
    public IList<string> FailureReportUri { get; set; } = new List<string>();

    /// <summary>fo= options: 0, 1, d, s.</summary>
    public IList<string> FailureOptions { get; set; } = new List<string>();

    /// <summary>t=y: publish the policy in test mode.</summary>
    public bool Testing { get; set; }

    public int Ttl { get; set; } = 3600;

    /// <summary>Builds the record; <paramref name="warnings"/> lists what is legal but probably not meant.</summary>
    public DnsRecord Build(out IReadOnlyList<Finding> warnings)
    {
        var domain = DomainName.Normalize(Domain);
        if (Ttl < 0 || Ttl > 2147483647) throw new MailAuthInputException(InvalidTtlErrorId, $"A TTL of {Ttl} is not valid; use 0 to 2147483647 seconds.", Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var notes = new List<Finding>();
        var rua = Uris(ReportUri, "ReportUri");
        var ruf = Uris(FailureReportUri, "FailureReportUri");
        var fo = new List<string>();
        foreach (var option in FailureOptions ?? new List<string>())
        {
            foreach (var part in (option ?? string.Empty).Split(new[] { ':', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim().ToLowerInvariant()))
            {
                if (part != "0" && part != "1" && part != "d" && part != "s")
                    throw new MailAuthInputException(InvalidFailureOptionsErrorId, $"'{option}' is not a failure reporting option; use 0, 1, d or s (RFC 9989 §4.7).", option);
                if (!fo.Contains(part)) fo.Add(part);
            }
        }

        var tags = new List<string> { "v=DMARC1", "p=" + Name(Policy) };
        if (SubdomainPolicy.HasValue) tags.Add("sp=" + Name(SubdomainPolicy.Value));
        if (NonExistentSubdomainPolicy.HasValue) tags.Add("np=" + Name(NonExistentSubdomainPolicy.Value));
        if (DkimAlignment.HasValue) tags.Add("adkim=" + (DkimAlignment.Value == AlignmentMode.Strict ? "s" : "r"));
        if (SpfAlignment.HasValue) tags.Add("aspf=" + (SpfAlignment.Value == AlignmentMode.Strict ? "s" : "r"));
        if (rua.Count > 0) tags.Add("rua=" + string.Join(",", rua));
        if (ruf.Count > 0) tags.Add("ruf=" + string.Join(",", ruf));
        if (fo.Count > 0) tags.Add("fo=" + string.Join(":", fo));
        if (Testing) tags.Add("t=y");
        var value = string.Join(" ", tags.Select(t => t + ";"));

        if (fo.Count > 0 && ruf.Count == 0)
            notes.Add(Finding.Warning(DmarcFindingCode.FailureOptionsWithoutRuf, "fo= has no effect without ruf=; add -FailureReportUri or leave out -FailureOptions.", "RFC 9989 §4.7", "_dmarc." + domain));
        if (rua.Count == 0)
            notes.Add(Finding.Warning(DmarcFindingCode.NoAggregateReports, "Without -ReportUri no receiver sends aggregate reports, and you cannot see who sends mail as your domain before tightening the policy.", "RFC 9989 §5.1.3", "_dmarc." + domain));
        foreach (var uri in rua.Concat(ruf).Select(DmarcRecordParser.ParseUri).Where(u => u.IsMailto && !DomainName.IsAtOrBelow(u.Domain, domain)))
            notes.Add(Finding.Info(DmarcFindingCode.ExternalReportNotAuthorized,
                $"{uri.Address} is outside {domain}: unless it is in the same organization, {uri.Domain} must publish {domain}._report._dmarc.{uri.Domain} TXT \"v=DMARC1;\" or receivers send nothing there.",
                "RFC 9990 §3", "_dmarc." + domain));
        warnings = notes;
        return new DnsRecord("_dmarc." + domain, "TXT", value, Ttl, null, "DMARC policy");
    }

    private static List<string> Uris(IList<string> input, string parameter)
    {
        var result = new List<string>();
        foreach (var raw in input ?? new List<string>())
        {
            foreach (var item in (raw ?? string.Empty).Split(','))
            {
                var s = item.Trim();
                if (s.Length == 0)
                    throw new MailAuthInputException(InvalidReportUriErrorId, $"-{parameter} has an empty entry; give mailto: addresses such as mailto:dmarc@example.com.", raw);
                if (s.IndexOf(':') < 0 && s.IndexOf('@') > 0) s = "mailto:" + s;
                var uri = DmarcRecordParser.ParseUri(s);
                if (!uri.IsValid || !uri.IsMailto)
                    throw new MailAuthInputException(InvalidReportUriErrorId,
                        $"'{item.Trim()}' is not a usable report address for -{parameter}; give a mailto: URI such as mailto:dmarc@example.com (receivers are only required to support mailto:, RFC 9989 §4.7).", item.Trim());
                if (uri.SizeLimit != null)
                    throw new MailAuthInputException(InvalidReportUriErrorId, $"'{item.Trim()}' has a size limit (!{uri.SizeLimit}), which RFC 9989 removed; leave it out (write a '!' inside an address as %21).", item.Trim());
                if (s.IndexOf(';') >= 0)
                    throw new MailAuthInputException(InvalidReportUriErrorId, $"'{item.Trim()}' contains ';', which would end the tag; encode it as %3B.", item.Trim());
                result.Add(s);
            }
        }
        return result;
    }

    private static string Name(DmarcPolicy policy) => policy.ToString().ToLowerInvariant();
}
