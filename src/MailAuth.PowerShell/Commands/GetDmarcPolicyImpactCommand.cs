using System;
using System.Management.Automation;
using MailAuth.DmarcRollout;
using MailAuth.PowerShell.Parameters;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Tells from DMARC aggregate reports whether a domain can move to quarantine or reject, and which sending sources to fix first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DmarcPolicyImpact")]
[OutputType(typeof(DmarcSourceImpact), typeof(DmarcPolicyRecommendation))]
public sealed class GetDmarcPolicyImpactCommand : DnsCmdlet
{
    /// <summary>Stable id of the error for pipeline input that is neither a report nor a row.</summary>
    public const string InvalidInputErrorId = "DmarcPolicyImpactInvalidInput";

    private PolicyImpactInput _input;

    /// <summary>Reports from Import-DmarcReport, or rows from Import-DmarcReport -Expand.</summary>
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

    /// <summary>Write one recommendation per domain (with its sources in Sources) instead of one row per source.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    /// <summary>Do not look up reverse-DNS names: each address is a source of its own.</summary>
    [Parameter]
    public SwitchParameter Offline { get; set; }

    /// <summary>How many PTR lookups run at once.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _input = new PolicyImpactInput(this, "Get-DmarcPolicyImpact takes the reports or rows that Import-DmarcReport writes", InvalidInputErrorId, Policy, Since, Until, MinimumDays, MinimumMessages);
    }

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject) _input.Add(item);
    }

    protected override void EndProcessing()
    {
        _input.WriteWindowSummary();
        if (!Offline) WriteVerbose("Looking up the PTR name of each source address to group them by organization.");
        var plans = Await(_input.Analyzer.AnalyzeAsync(Offline ? null : Resolver, ThrottleLimit, CancellationToken));
        foreach (var plan in plans)
        {
            WriteVerbose($"{plan.Domain}: {plan.Verdict}, next record {plan.NextRecord}.");
            if (Summary) WriteObject(plan);
            else foreach (var source in plan.Sources) WriteObject(source);
        }
    }
}
