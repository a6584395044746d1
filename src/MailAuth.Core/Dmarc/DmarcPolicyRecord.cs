using System;
using System.Collections.Generic;
using MailAuth.Common;

namespace MailAuth.Dmarc;

/// <summary>
/// A parsed DMARC policy record (RFC 9989 §4.7): every tag with its default applied, the legacy
/// RFC 7489 tags (pct, rf, ri) that RFC 9989 removed, and the syntax findings. Built by
/// <see cref="DmarcRecordParser"/>.
/// </summary>
public sealed class DmarcPolicyRecord
{
    internal DmarcPolicyRecord(string text, bool isDmarcRecord, DmarcPolicy? policy, bool policyExplicit, bool policyValid,
        DmarcPolicy? subdomainPolicy, bool subdomainPolicyValid, DmarcPolicy? nonExistentSubdomainPolicy, bool nonExistentSubdomainPolicyValid,
        AlignmentMode dkimAlignment, AlignmentMode spfAlignment, IReadOnlyList<DmarcReportUri> reportUri, IReadOnlyList<DmarcReportUri> failureReportUri,
        string failureOptions, DmarcPsd psd, bool testing, int? percentage, string reportFormat, int? reportInterval,
        IReadOnlyDictionary<string, string> tags, IReadOnlyList<Finding> findings)
    {
        Text = text;
        IsDmarcRecord = isDmarcRecord;
        Policy = policy;
        PolicyExplicit = policyExplicit;
        PolicyValid = policyValid;
        SubdomainPolicy = subdomainPolicy;
        SubdomainPolicyValid = subdomainPolicyValid;
        NonExistentSubdomainPolicy = nonExistentSubdomainPolicy;
        NonExistentSubdomainPolicyValid = nonExistentSubdomainPolicyValid;
        DkimAlignment = dkimAlignment;
        SpfAlignment = spfAlignment;
        ReportUri = ReadOnlyArray.From(reportUri);
        FailureReportUri = ReadOnlyArray.From(failureReportUri);
        FailureOptions = failureOptions;
        Psd = psd;
        Testing = testing;
        Percentage = percentage;
        ReportFormat = reportFormat;
        ReportInterval = reportInterval;
        Tags = tags;
        Findings = ReadOnlyArray.From(findings);
    }

    /// <summary>The record text (character-strings of one TXT record joined).</summary>
    public string Text { get; }

    /// <summary>The record starts with <c>v=DMARC1</c> (RFC 9989 §4.7); otherwise receivers ignore it.</summary>
    public bool IsDmarcRecord { get; }

    /// <summary>p=; <see cref="DmarcPolicy.None"/> when the tag is absent (RFC 9989 §4.7), null when its value is invalid.</summary>
    public DmarcPolicy? Policy { get; }

    /// <summary>The record has a p= tag.</summary>
    public bool PolicyExplicit { get; }

    /// <summary>p= is absent or one of none, quarantine, reject.</summary>
    public bool PolicyValid { get; }

    /// <summary>sp=, null when absent or invalid.</summary>
    public DmarcPolicy? SubdomainPolicy { get; }

    public bool SubdomainPolicyValid { get; }

    /// <summary>np= (RFC 9989 §4.7), null when absent or invalid.</summary>
    public DmarcPolicy? NonExistentSubdomainPolicy { get; }

    public bool NonExistentSubdomainPolicyValid { get; }

    /// <summary>adkim=, default relaxed.</summary>
    public AlignmentMode DkimAlignment { get; }

    /// <summary>aspf=, default relaxed.</summary>
    public AlignmentMode SpfAlignment { get; }

    /// <summary>rua=: aggregate report destinations.</summary>
    public IReadOnlyList<DmarcReportUri> ReportUri { get; }

    /// <summary>ruf=: failure report destinations.</summary>
    public IReadOnlyList<DmarcReportUri> FailureReportUri { get; }

    /// <summary>fo=, default "0".</summary>
    public string FailureOptions { get; }

    /// <summary>psd=, default u.</summary>
    public DmarcPsd Psd { get; }

    /// <summary>t=y: the Domain Owner is testing its policy and expects failing mail to get the policy one level below it (RFC 9989 §4.7).</summary>
    public bool Testing { get; }

    /// <summary>Legacy pct= (RFC 7489 §6.3), removed by RFC 9989; null when absent. Used only in <see cref="DmarcDiscoveryMode.Psl"/> evaluation.</summary>
    public int? Percentage { get; }

    /// <summary>Legacy rf= (RFC 7489), removed by RFC 9989.</summary>
    public string ReportFormat { get; }

    /// <summary>Legacy ri= (RFC 7489), removed by RFC 9989.</summary>
    public int? ReportInterval { get; }

    /// <summary>Every tag as written (names lower-case), in order of first appearance.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Syntax findings of the record.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>
    /// RFC 9989 §4.10.1: a record without a valid p= (absent or invalid), or with an invalid sp= or np=,
    /// is used as p=none when rua= has a valid URI, and not used at all otherwise.
    /// </summary>
    public bool IsUsable => IsDmarcRecord && (HasValidPolicies || HasValidReportUri);

    /// <summary>p= is present and valid, and sp= and np= are valid where present.</summary>
    public bool HasValidPolicies => PolicyExplicit && PolicyValid && SubdomainPolicyValid && NonExistentSubdomainPolicyValid;

    /// <summary>The policy receivers apply for the domain itself (p=, or none when the record is used only for reports).</summary>
    public DmarcPolicy EffectivePolicy => HasValidPolicies ? (Policy ?? DmarcPolicy.None) : DmarcPolicy.None;

    /// <summary>The policy for an existing subdomain: sp=, else p= (RFC 9989 §4.7).</summary>
    public DmarcPolicy EffectiveSubdomainPolicy => HasValidPolicies ? (SubdomainPolicy ?? Policy ?? DmarcPolicy.None) : DmarcPolicy.None;

    /// <summary>The policy for a non-existent subdomain: np=, else sp=, else p= (RFC 9989 §4.7).</summary>
    public DmarcPolicy EffectiveNonExistentSubdomainPolicy => HasValidPolicies ? (NonExistentSubdomainPolicy ?? SubdomainPolicy ?? Policy ?? DmarcPolicy.None) : DmarcPolicy.None;

    private bool HasValidReportUri
    {
        get
        {
            foreach (var u in ReportUri) if (u.IsValid) return true;
            return false;
        }
    }

    public override string ToString() => Text;
}
