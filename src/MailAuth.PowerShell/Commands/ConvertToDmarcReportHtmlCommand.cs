using System;
using System.Collections.Generic;
using System.Management.Automation;
using MailAuth.DmarcRollout;
using MailAuth.PowerShell.Parameters;
using MailAuth.ReportPage;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Makes one self-contained HTML page (inline SVG charts, no script) of DMARC aggregate reports and the policy-impact analysis.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "DmarcReportHtml")]
[OutputType(typeof(string))]
public sealed class ConvertToDmarcReportHtmlCommand : DnsCmdlet
{
    /// <summary>Stable id of the error for pipeline input that is neither a report, a row nor a recommendation.</summary>
    public const string InvalidInputErrorId = "DmarcReportHtmlInvalidInput";

    private PolicyImpactInput _input;
    private readonly List<DmarcPolicyRecommendation> _plans = new List<DmarcPolicyRecommendation>();
    private bool _reports;

    /// <summary>Reports or rows from Import-DmarcReport, or recommendations from Get-DmarcPolicyImpact -Summary.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; }

    /// <summary>The policy to move to: Quarantine or Reject (the default).</summary>
    [Parameter(Position = 0)]
    [ValidateSet("Quarantine", "Reject", IgnoreCase = true)]
    public string Policy { get; set; } = "Reject";

    /// <summary>Only reports whose period begins at or after this time (UTC).</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>Only reports whose period begins at or before this time (UTC).</summary>
    [Parameter]
    public DateTime? Until { get; set; }

    /// <summary>Days of reports at the current policy before the next step (RFC 9989 §7.4: a month).</summary>
    [Parameter]
    [ValidateRange(1, 3650)]
    public int MinimumDays { get; set; } = 30;

    /// <summary>Messages the reports must count before a domain is called Ready.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MinimumMessages { get; set; } = 100;

    /// <summary>Do not look up reverse-DNS names: each address is a source of its own.</summary>
    [Parameter]
    public SwitchParameter Offline { get; set; }

    /// <summary>How many PTR lookups run at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>The page's title and heading.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "DMARC aggregate reports";

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _input = new PolicyImpactInput(this, "ConvertTo-DmarcReportHtml takes the reports or rows that Import-DmarcReport writes, or what Get-DmarcPolicyImpact -Summary writes", InvalidInputErrorId, Policy, Since, Until, MinimumDays, MinimumMessages);
    }

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            if (item?.BaseObject is DmarcPolicyRecommendation plan) _plans.Add(plan);
            else if (_input.Add(item)) _reports = true;
        }
    }

    protected override void EndProcessing()
    {
        if (_reports)
        {
            _input.WriteWindowSummary();
            _plans.AddRange(Await(_input.Analyzer.AnalyzeAsync(Offline ? null : Resolver, ThrottleLimit, CancellationToken)));
        }
        WriteObject(DmarcReportPage.Render(_plans, Title, DateTime.UtcNow));
    }
}
