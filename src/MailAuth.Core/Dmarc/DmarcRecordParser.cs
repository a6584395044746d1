using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MailAuth.Dns;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// Parses the text of a DMARC TXT record (RFC 9989 §4.7, formal definition §4.8) into a
/// <see cref="DmarcPolicyRecord"/>. Never throws: syntax problems become findings, and invalid
/// values fall back to the defaults as RFC 9989 requires.
/// </summary>
/// <remarks>
/// Tag names and values are ABNF quoted strings in RFC 9989 §4.8, which are case-insensitive
/// (RFC 5234 §2.3); only the version value is written <c>%s"DMARC1"</c> (RFC 7405), so <c>V=DMARC1</c>,
/// <c>p=REJECT</c> and <c>adkim=S</c> are valid and <c>v=dmarc1</c> is not.
/// </remarks>
public static class DmarcRecordParser
{
    private const string Ref = "RFC 9989 §4.7";
    private static readonly HashSet<string> KnownTags = new HashSet<string>(StringComparer.Ordinal)
        { "v", "p", "sp", "np", "adkim", "aspf", "rua", "ruf", "fo", "psd", "t", "pct", "rf", "ri" };

    /// <summary>
    /// True when <paramref name="text"/> starts with the version tag: <c>v</c> in either case, then
    /// <c>DMARC1</c> exactly (RFC 9989 §4.8 dmarc-version; §4.7 v).
    /// </summary>
    public static bool IsDmarcRecord(string text)
    {
        if (text == null) return false;
        int i = SkipWsp(text, 0);
        if (i >= text.Length || (text[i] != 'v' && text[i] != 'V')) return false;
        i = SkipWsp(text, i + 1);
        if (i >= text.Length || text[i] != '=') return false;
        i = SkipWsp(text, i + 1);
        if (string.CompareOrdinal(text, i, "DMARC1", 0, 6) != 0) return false;
        i = SkipWsp(text, i + 6);
        return i == text.Length || text[i] == ';';
    }

    private static int SkipWsp(string text, int i)
    {
        while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
        return i;
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="subject"/> names the record in findings (e.g. <c>_dmarc.example.com</c>).</summary>
    public static DmarcPolicyRecord Parse(string text, string subject = null)
    {
        text = text ?? string.Empty;
        var findings = new List<Finding>();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        bool isDmarc = IsDmarcRecord(text);
        if (!isDmarc)
            findings.Add(Finding.Error(DmarcFindingCode.InvalidVersion,
                $"The record \"{Shorten(text)}\" does not start with \"v=DMARC1\", so receivers ignore it. Make \"v=DMARC1;\" the first tag, with DMARC1 in capitals.",
                Ref, subject));

        var parts = text.Split(';');
        for (int i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim(TrimChars.Wsp);
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                findings.Add(Finding.Error(DmarcFindingCode.SyntaxError,
                    $"\"{Shorten(part)}\" is not a tag=value pair; receivers ignore it. Write it as name=value and separate tags with \";\".",
                    "RFC 9989 §4.8", subject));
                continue;
            }
            var name = part.Substring(0, eq).Trim(TrimChars.Wsp);
            var value = part.Substring(eq + 1).Trim(TrimChars.Wsp);
            if (!name.All(c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) || value.Length == 0)
            {
                findings.Add(Finding.Error(DmarcFindingCode.SyntaxError,
                    $"\"{Shorten(part)}\" is not a valid tag (a tag name is letters only and needs a value); receivers ignore it.",
                    "RFC 9989 §4.8", subject));
                continue;
            }
            var key = name.ToLowerInvariant();
            if (tags.ContainsKey(key))
            {
                findings.Add(Finding.Error(DmarcFindingCode.DuplicateTag,
                    $"The tag {key}= appears more than once; only the first ({key}={tags[key]}) is used here and receivers may treat the record differently. Keep one {key}= tag.",
                    "RFC 9989 §4.7", subject));
                continue;
            }
            tags[key] = value;
            order.Add(key);
            if (!KnownTags.Contains(key))
                findings.Add(Finding.Info(DmarcFindingCode.UnknownTag,
                    $"The tag {key}= is not a DMARC tag, so receivers ignore it. Remove it unless you know a receiver that uses it.",
                    "RFC 9989 §4.7", subject));
        }

        // p=, sp=, np=
        DmarcPolicy? policy = DmarcPolicy.None;
        bool policyExplicit = tags.TryGetValue("p", out var pValue);
        bool policyValid = true;
        if (policyExplicit)
        {
            policy = ParsePolicy(pValue);
            if (policy == null)
            {
                policyValid = false;
                findings.Add(Finding.Error(DmarcFindingCode.InvalidPolicy,
                    $"p={pValue} is not a policy. Use p=none, p=quarantine or p=reject. Until then receivers use the record as p=none if rua= has a valid address, and ignore it otherwise.",
                    "RFC 9989 §4.10.1", subject));
            }
        }

        var sp = OptionalPolicy(tags, "sp", "sp= (subdomain policy)", findings, subject, out bool spValid);
        var np = OptionalPolicy(tags, "np", "np= (non-existent subdomain policy)", findings, subject, out bool npValid);

        var adkim = ParseAlignment(tags, "adkim", findings, subject);
        var aspf = ParseAlignment(tags, "aspf", findings, subject);

        // psd=
        var psd = DmarcPsd.Unspecified;
        if (tags.TryGetValue("psd", out var psdValue))
        {
            switch (psdValue.ToLowerInvariant())
            {
                case "y": psd = DmarcPsd.Yes; break;
                case "n": psd = DmarcPsd.No; break;
                case "u": psd = DmarcPsd.Unspecified; break;
                default:
                    findings.Add(InvalidValue("psd", psdValue, "y, n or u", "u", subject));
                    break;
            }
        }

        // t=
        bool testing = false;
        if (tags.TryGetValue("t", out var tValue))
        {
            if (string.Equals(tValue, "y", StringComparison.OrdinalIgnoreCase)) testing = true;
            else if (!string.Equals(tValue, "n", StringComparison.OrdinalIgnoreCase)) findings.Add(InvalidValue("t", tValue, "y or n", "n", subject));
        }
        if (testing)
            findings.Add(Finding.Info(DmarcFindingCode.TestingMode,
                "t=y: the policy is in test mode, so receivers apply the policy one level below it to failing mail (quarantine for p=reject, none for p=quarantine) and may apply special handling such as rewriting From. Remove t=y when you are ready for the policy to take effect.",
                Ref, subject));

        // fo=
        string fo = "0";
        if (tags.TryGetValue("fo", out var foValue))
        {
            var options = ParseFailureOptions(foValue);
            if (options != null) fo = options;
            else findings.Add(InvalidValue("fo", foValue, "0, 1, d, s or a colon-separated list of them in which 0 and 1 exclude each other and none repeats", "0", subject, "RFC 9989 §4.8"));
        }

        var rua = ParseUriList(tags, "rua", findings, subject);
        var ruf = ParseUriList(tags, "ruf", findings, subject);
        if (tags.ContainsKey("fo") && !tags.ContainsKey("ruf"))
            findings.Add(Finding.Info(DmarcFindingCode.FailureOptionsWithoutRuf,
                "fo= has no effect without ruf=; receivers ignore it. Add ruf= or remove fo=.",
                Ref, subject));

        // Legacy tags removed by RFC 9989.
        int? pct = null;
        if (tags.TryGetValue("pct", out var pctValue))
        {
            if (int.TryParse(pctValue, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0 && n <= 100) pct = n;
            else findings.Add(InvalidValue("pct", pctValue, "an integer from 0 to 100", "100", subject, "RFC 7489 §6.3"));
            findings.Add(Finding.Warning(DmarcFindingCode.RemovedTag,
                $"pct={pctValue} was removed by RFC 9989: receivers following it apply the policy to all failing mail. Remove pct=; to try a policy without applying it, use t=y.",
                "RFC 9989 Appendix A.6, C.5.2", subject));
        }
        string rf = null;
        if (tags.TryGetValue("rf", out var rfValue))
        {
            rf = rfValue;
            findings.Add(Finding.Warning(DmarcFindingCode.RemovedTag,
                $"rf={rfValue} was removed by RFC 9989 (failure reports are always in AFRF format, RFC 9991). Remove rf=.",
                "RFC 9989 Appendix C.5.2", subject));
        }
        int? ri = null;
        if (tags.TryGetValue("ri", out var riValue))
        {
            if (int.TryParse(riValue, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) ri = n;
            findings.Add(Finding.Warning(DmarcFindingCode.RemovedTag,
                $"ri={riValue} was removed by RFC 9989 (aggregate reports are sent at least daily, RFC 9990). Remove ri=.",
                "RFC 9989 Appendix C.5.2", subject));
        }

        if (isDmarc && !policyExplicit)
        {
            bool anyValidRua = rua.Any(u => u.IsValid);
            findings.Add(new Finding(anyValidRua ? FindingSeverity.Warning : FindingSeverity.Error, DmarcFindingCode.MissingPolicy,
                anyValidRua
                    ? "The record has no p= tag; because rua= has a valid address, receivers use it as p=none. Add p=none, p=quarantine or p=reject explicitly."
                    : "The record has no p= tag and no valid rua=, so receivers apply no DMARC processing at all. Add p=none, p=quarantine or p=reject.",
                "RFC 9989 §4.10.1", subject));
        }
        if (isDmarc && policyExplicit && policyValid && policy == DmarcPolicy.None)
            findings.Add(Finding.Info(DmarcFindingCode.PolicyNone,
                "p=none only monitors: receivers deliver failing mail as usual while the aggregate reports show who sends as your domain. Once they show all your mail passes, move to p=quarantine, then p=reject; before p=reject keep p=none for at least a month and p=quarantine as long, and sign with DKIM rather than rely on SPF alone (RFC 9989 §7.4).",
                "RFC 9989 §5.1.4, §5.1.5", subject));
        if (isDmarc && rua.Count == 0)
            findings.Add(Finding.Info(DmarcFindingCode.NoAggregateReports,
                "There is no rua=, so no receiver sends aggregate reports and you cannot see who sends mail as your domain. Add rua=mailto:<your report mailbox>.",
                "RFC 9989 §5.1.3", subject));

        var ordered = new OrderedTags(order, tags);
        return new DmarcPolicyRecord(
            text: text, isDmarcRecord: isDmarc,
            policy: policy, policyExplicit: policyExplicit, policyValid: policyValid,
            subdomainPolicy: sp, subdomainPolicyValid: spValid,
            nonExistentSubdomainPolicy: np, nonExistentSubdomainPolicyValid: npValid,
            dkimAlignment: adkim, spfAlignment: aspf,
            reportUri: rua, failureReportUri: ruf, failureOptions: fo,
            psd: psd, testing: testing,
            percentage: pct, reportFormat: rf, reportInterval: ri,
            tags: ordered, findings: findings);
    }

    /// <summary>Characters that cannot stand in a mailto: report address as DMARC records write it.</summary>
    private static readonly char[] NotInMailbox = { ' ', ',', '<', '>', '"' };

    /// <summary>Parses none, quarantine or reject (case-insensitive, as receivers commonly accept).</summary>
    public static DmarcPolicy? ParsePolicy(string value)
    {
        switch ((value ?? string.Empty).Trim().ToLowerInvariant())
        {
            case "none": return DmarcPolicy.None;
            case "quarantine": return DmarcPolicy.Quarantine;
            case "reject": return DmarcPolicy.Reject;
            default: return null;
        }
    }

    /// <summary>Parses one DMARC URI (RFC 9989 §4.6): <c>mailto:dmarc@example.com</c>, optionally with a legacy <c>!size</c>.</summary>
    public static DmarcReportUri ParseUri(string text)
    {
        var s = (text ?? string.Empty).Trim(TrimChars.Wsp);
        string size = null;
        var bang = s.LastIndexOf('!');
        if (bang > 0)
        {
            size = s.Substring(bang + 1);
            s = s.Substring(0, bang);
        }
        var colon = s.IndexOf(':');
        if (colon <= 0) return new DmarcReportUri(s, null, null, null, size, false);
        var scheme = s.Substring(0, colon).ToLowerInvariant();
        if (!scheme.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') || !(scheme[0] >= 'a' && scheme[0] <= 'z'))
            return new DmarcReportUri(s, null, null, null, size, false);
        bool sizeOk = size == null || IsSize(size);
        if (scheme != "mailto")
        {
            bool ok = System.Uri.TryCreate(s, UriKind.Absolute, out _);
            return new DmarcReportUri(s, scheme, null, null, size, ok && sizeOk);
        }
        var mailbox = s.Substring(colon + 1);
        var q = mailbox.IndexOf('?');
        if (q >= 0) mailbox = mailbox.Substring(0, q);
        mailbox = System.Uri.UnescapeDataString(mailbox);
        var at = mailbox.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Length - 1 || mailbox.IndexOfAny(NotInMailbox) >= 0)
            return new DmarcReportUri(s, scheme, mailbox, null, size, false);
        if (!DomainName.TryNormalize(mailbox.Substring(at + 1), out var domain, out _) || domain.IndexOf('.') < 0)
            return new DmarcReportUri(s, scheme, mailbox, null, size, false);
        return new DmarcReportUri(s, scheme, mailbox, domain, size, sizeOk);
    }

    private static bool IsSize(string size)
    {
        if (size.Length == 0) return false;
        var digits = size.TrimEnd('k', 'm', 'g', 't', 'K', 'M', 'G', 'T');
        if (size.Length - digits.Length > 1) return false;
        return digits.Length > 0 && digits.All(c => c >= '0' && c <= '9');
    }

    private static DmarcPolicy? OptionalPolicy(Dictionary<string, string> tags, string tag, string what, List<Finding> findings, string subject, out bool valid)
    {
        valid = true;
        if (!tags.TryGetValue(tag, out var value)) return null;
        var p = ParsePolicy(value);
        if (p == null)
        {
            valid = false;
            findings.Add(Finding.Error(DmarcFindingCode.InvalidTagValue,
                $"{tag}={value} is not a policy; {what} must be none, quarantine or reject. Until it is fixed receivers use the record as p=none if rua= has a valid address, and ignore it otherwise.",
                "RFC 9989 §4.10.1", subject));
        }
        return p;
    }

    private static AlignmentMode ParseAlignment(Dictionary<string, string> tags, string tag, List<Finding> findings, string subject)
    {
        if (!tags.TryGetValue(tag, out var value)) return AlignmentMode.Relaxed;
        if (string.Equals(value, "s", StringComparison.OrdinalIgnoreCase)) return AlignmentMode.Strict;
        if (!string.Equals(value, "r", StringComparison.OrdinalIgnoreCase)) findings.Add(InvalidValue(tag, value, "r (relaxed) or s (strict)", "r", subject));
        return AlignmentMode.Relaxed;
    }

    /// <summary>
    /// RFC 9989 §4.8 dmarc-fo: colon-separated 0, 1, d and s in any order, where 0 and 1 exclude each
    /// other and none appears twice. Returns the options in lower case, or null when the value is not
    /// valid (receivers then use the default, 0).
    /// </summary>
    private static string ParseFailureOptions(string value)
    {
        var options = value.Split(':').Select(o => o.Trim(TrimChars.Wsp).ToLowerInvariant()).ToList();
        if (options.Any(o => o != "0" && o != "1" && o != "d" && o != "s")) return null;
        if (options.Distinct(StringComparer.Ordinal).Count() != options.Count) return null;
        if (options.Contains("0") && options.Contains("1")) return null;
        return string.Join(":", options);
    }

    private static List<DmarcReportUri> ParseUriList(Dictionary<string, string> tags, string tag, List<Finding> findings, string subject)
    {
        var list = new List<DmarcReportUri>();
        if (!tags.TryGetValue(tag, out var value)) return list;
        foreach (var item in value.Split(','))
        {
            if (item.Trim().Length == 0) continue;
            var uri = ParseUri(item);
            list.Add(uri);
            if (!uri.IsValid)
                findings.Add(Finding.Error(DmarcFindingCode.InvalidReportUri,
                    $"{tag}= contains \"{item.Trim()}\", which is not a valid report URI; receivers ignore it. Write it as mailto:reports@example.com (encode ',' and '!' inside an address).",
                    "RFC 9989 §4.6", subject));
            else if (uri.SizeLimit != null)
                findings.Add(Finding.Warning(DmarcFindingCode.RemovedSizeLimit,
                    $"{tag}= gives {uri.Uri} a size limit (!{uri.SizeLimit}); RFC 9989 removed size limits, and a '!' in a URI must now be written %21. Remove \"!{uri.SizeLimit}\".",
                    "RFC 9989 §4.8", subject));
            if (uri.IsValid && !uri.IsMailto)
                findings.Add(Finding.Warning(DmarcFindingCode.UnsupportedReportUri,
                    $"{tag}= names {uri.Uri}; receivers are only required to support mailto:, so they may send nothing there. Add a mailto: address.",
                    "RFC 9989 §4.7", subject));
        }
        return list;
    }

    private static Finding InvalidValue(string tag, string value, string allowed, string fallback, string subject, string reference = Ref) =>
        Finding.Error(DmarcFindingCode.InvalidTagValue,
            $"{tag}={value} is not valid; it must be {allowed}. Receivers use the default ({tag}={fallback}) instead.",
            reference, subject);

    private static string Shorten(string s) => s.Length <= 80 ? s : s.Substring(0, 77) + "...";

    /// <summary>A read-only dictionary that enumerates in record order.</summary>
    private sealed class OrderedTags : IReadOnlyDictionary<string, string>
    {
        private readonly List<string> _order;
        private readonly Dictionary<string, string> _tags;
        public OrderedTags(List<string> order, Dictionary<string, string> tags) { _order = order; _tags = tags; }
        public string this[string key] => _tags[key];
        public IEnumerable<string> Keys => _order;
        public IEnumerable<string> Values => _order.Select(k => _tags[k]);
        public int Count => _order.Count;
        public bool ContainsKey(string key) => _tags.ContainsKey(key);
        public bool TryGetValue(string key, out string value) => _tags.TryGetValue(key, out value);
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _order.Select(k => new KeyValuePair<string, string>(k, _tags[k])).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
