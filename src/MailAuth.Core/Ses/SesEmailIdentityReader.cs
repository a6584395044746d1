using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using MailAuth.Common;

namespace MailAuth.Ses;

/// <summary>
/// Reads a GetEmailIdentity response body (rest-json, shapes of botocore's sesv2 service-2.json:
/// GetEmailIdentityResponse, DkimAttributes, MailFromAttributes, VerificationInfo) and adds findings.
/// Unknown members are ignored, so newer API fields do not break it; members of an unexpected JSON kind
/// (a number where a string belongs, a timestamp out of range) read as absent. The body must be a JSON
/// object (<see cref="SesV2Client"/> checks that first).
/// </summary>
internal static class SesEmailIdentityReader
{
    internal static SesEmailIdentity Read(string identity, string region, string json)
    {
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        var root = doc.RootElement;

        SesDkimAttributes dkim = null;
        if (root.TryGetProperty("DkimAttributes", out var d) && d.ValueKind == JsonValueKind.Object)
        {
            dkim = new SesDkimAttributes(
                Bool(d, "SigningEnabled"), Str(d, "Status"),
                d.TryGetProperty("Tokens", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()).ToList() : new List<string>(),
                Str(d, "SigningHostedZone"), Str(d, "SigningAttributesOrigin"), Str(d, "CurrentSigningKeyLength"), Str(d, "NextSigningKeyLength"),
                Time(d, "LastKeyGenerationTimestamp"));
        }

        SesMailFromAttributes mailFrom = null;
        if (root.TryGetProperty("MailFromAttributes", out var m) && m.ValueKind == JsonValueKind.Object && !string.IsNullOrEmpty(Str(m, "MailFromDomain")))
            mailFrom = new SesMailFromAttributes(Str(m, "MailFromDomain"), Str(m, "MailFromDomainStatus"), Str(m, "BehaviorOnMxFailure"));

        SesVerificationInfo info = null;
        if (root.TryGetProperty("VerificationInfo", out var v) && v.ValueKind == JsonValueKind.Object)
        {
            string soa = null;
            if (v.TryGetProperty("SOARecord", out var s) && s.ValueKind == JsonValueKind.Object) soa = Str(s, "PrimaryNameServer");
            info = new SesVerificationInfo(Str(v, "ErrorType"), Time(v, "LastCheckedTimestamp"), Time(v, "LastSuccessTimestamp"), soa);
        }

        var identityType = Str(root, "IdentityType");
        var verification = Str(root, "VerificationStatus");
        var verified = Bool(root, "VerifiedForSendingStatus");
        var findings = Assess(identity, verified, verification, info, dkim, mailFrom);
        return new SesEmailIdentity(identity, region, identityType, verified, Bool(root, "FeedbackForwardingStatus"), verification, info, dkim, mailFrom, findings);
    }

    private static List<Finding> Assess(string identity, bool verified, string verification, SesVerificationInfo info, SesDkimAttributes dkim, SesMailFromAttributes mailFrom)
    {
        var findings = new List<Finding>();
        const string guide = "Amazon SES Developer Guide";
        if (!verified)
            findings.Add(Finding.Error("SesIdentityNotVerified",
                $"{identity} is not verified for sending (VerificationStatus {verification ?? "unknown"}{(info?.ErrorType != null ? ", error " + info.ErrorType : string.Empty)}): publish the DKIM records (Get-SesDnsRecord) and wait for SES to find them.",
                guide, identity));
        switch (dkim?.Status)
        {
            case "PENDING":
                findings.Add(Finding.Info("SesDkimPending",
                    "DKIM is PENDING: SES has not seen the three CNAME records yet and keeps looking for up to 72 hours. This is waiting, not failure; check the records with Test-SesDomainSetup.",
                    "RFC 6376 §3.6.2.1", identity));
                break;
            case "FAILED":
                findings.Add(Finding.Error("SesDkimFailed",
                    "DKIM FAILED: SES did not find the CNAME records within 72 hours. Publish them (Get-SesDnsRecord | ConvertTo-DnsZoneFile) and restart verification in SES.",
                    "RFC 6376 §3.6.2.1", identity));
                break;
            case "NOT_STARTED":
                findings.Add(Finding.Warning("SesDkimNotStarted",
                    "DKIM is NOT_STARTED: SES is not looking for the DKIM records, so it signs only with amazonses.com, which does not align. Enable Easy DKIM (or BYODKIM) for the identity.",
                    "RFC 9989 §4.4.1", identity));
                break;
            case "TEMPORARY_FAILURE":
                findings.Add(Finding.Warning("SesDkimTemporaryFailure", "DKIM TEMPORARY_FAILURE: SES could not check the records; it retries. Check that the domain's name servers answer.", "RFC 6376 §3.6.2.1", identity));
                break;
        }
        if (dkim != null && !dkim.SigningEnabled)
            findings.Add(Finding.Warning("SesDkimSigningDisabled", "DKIM signing is disabled: mail is signed only with amazonses.com, which does not align with your From domain for DMARC. Enable DKIM signing.", "RFC 9989 §4.4.1", identity));
        if (mailFrom == null)
            findings.Add(Finding.Info("SesNoCustomMailFrom",
                "No custom MAIL FROM domain: SPF passes for amazonses.com but does not align with your From domain, so DMARC rests on DKIM alone. Set one with Set-SesMailFromDomain.",
                "RFC 9989 §4.4.2", identity));
        else if (mailFrom.MailFromDomainStatus != "SUCCESS")
            findings.Add(Finding.Warning("SesMailFromNotReady",
                $"The MAIL FROM domain {mailFrom.MailFromDomain} is {mailFrom.MailFromDomainStatus}: until SES finds its one MX record it {(mailFrom.BehaviorOnMxFailure == "REJECT_MESSAGE" ? "rejects your messages" : "sends with an amazonses.com MAIL FROM (SPF does not align)")}.",
                guide, mailFrom.MailFromDomain));
        return findings;
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && (p.ValueKind == JsonValueKind.True);

    // rest-json timestamps are epoch seconds (possibly fractional); accept ISO 8601 too.
    private static DateTimeOffset? Time(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var p)) return null;
        // DateTimeOffset spans years 1 to 9999: -62135596800 to 253402300799 seconds.
        if (p.ValueKind == JsonValueKind.Number)
            return p.TryGetDouble(out var seconds) && seconds >= -62135596800 && seconds < 253402300799
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
                : (DateTimeOffset?)null;
        if (p.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(p.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)) return t;
        return null;
    }
}
