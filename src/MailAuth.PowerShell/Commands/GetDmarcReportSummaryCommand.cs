using System.Management.Automation;
using MailAuth.DmarcReports;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sums DMARC aggregate reports per source IP, failing sources first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "DmarcReportSummary")]
[OutputType(typeof(DmarcSourceSummary))]
public sealed class GetDmarcReportSummaryCommand : DnsCmdlet
{
    /// <summary>Stable id of the error for pipeline input that is neither a report nor a row.</summary>
    public const string InvalidInputErrorId = "DmarcReportSummaryInvalidInput";

    private readonly DmarcReportSummarizer _summarizer = new DmarcReportSummarizer();

    /// <summary>Reports from Import-DmarcReport, or rows from Import-DmarcReport -Expand.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; }

    /// <summary>Look up each source's reverse-DNS (PTR) name and its organizational domain.</summary>
    [Parameter]
    public SwitchParameter ResolveHost { get; set; }

    /// <summary>How many PTR lookups run at once with -ResolveHost.</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 16;

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            switch (item?.BaseObject)
            {
                case DmarcAggregateReport report:
                    _summarizer.Add(report);
                    break;
                case DmarcReportRow row:
                    _summarizer.Add(row);
                    break;
                default:
                    WriteError(new System.ArgumentException("Get-DmarcReportSummary takes the reports or rows that Import-DmarcReport writes; this input is neither."),
                        InvalidInputErrorId, ErrorCategory.InvalidArgument, item);
                    break;
            }
        }
    }

    protected override void EndProcessing()
    {
        if (ResolveHost) WriteVerbose("Looking up the PTR name of each source.");
        var summaries = Await(_summarizer.SummarizeAsync(ResolveHost ? Resolver : null, ThrottleLimit, CancellationToken));
        foreach (var s in summaries) WriteObject(s);
    }
}
