using System.Collections.Generic;
using System.Linq;
using MailAuth.Dmarc;
using MailAuth.Common;
using MailAuth.Publishing;

namespace MailAuth.Ses;

/// <summary>
/// What a receiver will conclude about mail SES sends for the identity, given the live DNS:
/// SPF (RFC 7208) and DKIM (RFC 6376) results, their DMARC identifier alignment (RFC 9989 §4.4),
/// the DMARC result (RFC 9989 §5.3), and what to change.
/// </summary>
public sealed class SesDomainVerdict
{
    public SesDomainVerdict(string identity, string fromDomain, string spfDomain, bool spfPass, bool spfAligned, string dkimDomain, bool dkimPass, bool dkimAligned,
        string dmarcRecordDomain, string dmarcPolicy, DmarcResult dmarcResult, DmarcDisposition disposition, IReadOnlyList<DnsChange> changes, IReadOnlyList<Finding> findings,
        string region = null, string dkimOrigin = null)
    {
        Region = region ?? string.Empty;
        DkimOrigin = dkimOrigin ?? string.Empty;
        SendsAligned = (spfPass && spfAligned) || (dkimPass && dkimAligned);
        Identity = identity;
        FromDomain = fromDomain;
        SpfDomain = spfDomain;
        SpfPass = spfPass;
        SpfAligned = spfAligned;
        DkimDomain = dkimDomain;
        DkimPass = dkimPass;
        DkimAligned = dkimAligned;
        DmarcRecordDomain = dmarcRecordDomain;
        DmarcPolicy = dmarcPolicy;
        DmarcResult = dmarcResult;
        Disposition = disposition;
        Changes = ReadOnlyArray.From(changes);
        Findings = ReadOnlyArray.From(findings);
        Status = dmarcResult == DmarcResult.TempError ? SesDomainVerdictStatus.Error
            : dmarcResult != DmarcResult.Pass || Findings.Any(f => f.Severity == FindingSeverity.Error) ? SesDomainVerdictStatus.Fail
            : Findings.Any(f => f.Severity == FindingSeverity.Warning) ? SesDomainVerdictStatus.Warning
            : SesDomainVerdictStatus.Ok;
    }

    /// <summary>Ok (DMARC passes, nothing to change), Warning, Fail or Error (a lookup failed); the rows' Status uses Ok for the same meaning.</summary>
    public SesDomainVerdictStatus Status { get; }

    /// <summary>The SES region whose sending the verdict is about; empty when it is not known (no API, and no MAIL FROM MX to infer it from).</summary>
    public string Region { get; }
    /// <summary>
    /// Whether mail SES sends from this region carries an identifier that passes and aligns with the From domain
    /// (SPF through the custom MAIL FROM, or DKIM d=the domain): what DMARC needs, whatever the policy says.
    /// </summary>
    public bool SendsAligned { get; }
    /// <summary>How the identity's DKIM keys are set up, as SES reports it: AWS_SES (Easy DKIM), EXTERNAL (BYODKIM) or AWS_SES_&lt;REGION&gt; (a Deterministic Easy DKIM replica of that region's identity); empty without the API.</summary>
    public string DkimOrigin { get; }

    /// <summary>The SES identity.</summary>
    public string Identity { get; }
    /// <summary>The RFC 5322.From domain assumed (the identity's domain).</summary>
    public string FromDomain { get; }
    /// <summary>The RFC 5321.MailFrom domain SES will use: the custom MAIL FROM domain or &lt;region&gt;.amazonses.com.</summary>
    public string SpfDomain { get; }
    /// <summary>Whether SPF will pass for SES's sending IPs.</summary>
    public bool SpfPass { get; }
    /// <summary>Whether that SPF pass aligns with the From domain under the DMARC record's aspf.</summary>
    public bool SpfAligned { get; }
    /// <summary>The d= domain of the signature that decides DKIM alignment: the identity's domain, or amazonses.com.</summary>
    public string DkimDomain { get; }
    /// <summary>Whether a DKIM signature will verify.</summary>
    public bool DkimPass { get; }
    /// <summary>Whether a verifying signature aligns with the From domain.</summary>
    public bool DkimAligned { get; }
    /// <summary>Where the DMARC record was found; empty when none.</summary>
    public string DmarcRecordDomain { get; }
    /// <summary>The p= of that record; empty when none.</summary>
    public string DmarcPolicy { get; }
    /// <summary>Pass, Fail, None (no record), TempError (could not look it up) or PermError.</summary>
    public DmarcResult DmarcResult { get; }
    /// <summary>What a receiver applying the policy does: None, Quarantine or Reject.</summary>
    public DmarcDisposition Disposition { get; }
    /// <summary>
    /// The DNS changes that fix what the rows and findings found, in the order to apply them; each one's Reason says why.
    /// Changes outside DNS (the SES API, the key length) are in <see cref="Findings"/>. Empty when nothing in DNS needs to change.
    /// </summary>
    public IReadOnlyList<DnsChange> Changes { get; }
    /// <summary>The same as findings with stable codes and RFC sections.</summary>
    public IReadOnlyList<Finding> Findings { get; }
}
