using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace MailAuth.DmarcReports;

/// <summary>
/// Google's verdict on its sender requirements, which its aggregate reports carry since late 2025 in a
/// <c>policy_evaluated/reason</c> comment such as "Sender requirement failed: 550-5.7.30" (RFC 9990's reason comment,
/// free text): the SMTP status that Gmail gives mail failing that requirement, and what the requirement is.
/// </summary>
public sealed class SenderRequirementVerdict
{
    private static readonly Regex Status = new Regex(@"\b([45][0-9]{2})[- ]([45]\.7\.[0-9]{1,3})\b", RegexOptions.CultureInvariant);

    /// <summary>The enhanced status codes seen in these reports (the 4xx and 5xx forms share a meaning) and what each says.</summary>
    private static readonly Dictionary<string, (string Requirement, string Meaning)> Meanings = new Dictionary<string, (string, string)>
    {
        ["7.27"] = ("Spf", "SPF: the message did not pass SPF for its MAIL FROM domain"),
        ["7.30"] = ("Dkim", "DKIM: the message was not DKIM-signed, or its signature did not verify"),
        ["7.32"] = ("Alignment", "Alignment: neither the SPF nor the DKIM domain is aligned with the From domain (DMARC)"),
        ["7.29"] = ("Tls", "TLS: the message was not sent over an encrypted (TLS) connection"),
        ["7.25"] = ("ReverseDns", "Reverse DNS: the sending IP address has no PTR record, or its name does not resolve back to it"),
        ["7.1"] = ("Other", "Other: refused by the receiver's policy; the report's comment says more"),
    };

    private SenderRequirementVerdict(string code, string requirement, string meaning)
    {
        Code = code;
        Requirement = requirement;
        Meaning = meaning;
    }

    /// <summary>The status as the report gives it, e.g. "550-5.7.30" or "421-4.7.32".</summary>
    public string Code { get; }

    /// <summary>Which requirement failed: Spf, Dkim, Alignment, Tls, ReverseDns or Other.</summary>
    public string Requirement { get; }

    /// <summary>What the requirement is, in a sentence.</summary>
    public string Meaning { get; }

    /// <summary>The verdict a reason comment carries, or null when it carries none.</summary>
    public static SenderRequirementVerdict Read(string comment)
    {
        if (string.IsNullOrEmpty(comment)) return null;
        var match = Status.Match(comment);
        if (!match.Success) return null;
        var enhanced = match.Groups[2].Value;
        var key = enhanced.Substring(enhanced.IndexOf('.') + 1);
        return Meanings.TryGetValue(key, out var known)
            ? new SenderRequirementVerdict(match.Groups[1].Value + "-" + enhanced, known.Requirement, known.Meaning)
            : new SenderRequirementVerdict(match.Groups[1].Value + "-" + enhanced, "Other", "Other: a sender requirement with a status MailAuth does not know; the report's comment says more");
    }

    public override string ToString() => Code + " " + Requirement;
}
