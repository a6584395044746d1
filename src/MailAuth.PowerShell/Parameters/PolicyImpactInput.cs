using System;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.DmarcReports;
using MailAuth.DmarcRollout;
using MailAuth.PowerShell.Commands;

namespace MailAuth.PowerShell.Parameters;

/// <summary>
/// What Get-DmarcPolicyImpact and ConvertTo-DmarcReportHtml share: the analysis made from their parameters, and the
/// reports or rows of Import-DmarcReport fed to it, with a non-terminating error for anything else.
/// </summary>
internal sealed class PolicyImpactInput
{
    private readonly MailAuthCmdlet _cmdlet;
    private readonly string _invalidInputErrorId;
    private readonly string _accepted;
    private int _outsideWindow;

    /// <summary>Makes the analysis (<paramref name="accepted"/> says what the cmdlet takes, for the error on other input); an empty window (-Since after -Until) is terminating, nothing can come of it.</summary>
    public PolicyImpactInput(MailAuthCmdlet cmdlet, string accepted, string invalidInputErrorId, string policy, DateTime? since, DateTime? until,
        int minimumDays, long minimumMessages)
    {
        _cmdlet = cmdlet;
        _accepted = accepted;
        _invalidInputErrorId = invalidInputErrorId;
        try
        {
            Analyzer = new DmarcPolicyImpactAnalyzer(ParameterEnum.Parse<EnforcementPolicy>(policy), since, until, minimumDays, minimumMessages);
        }
        catch (MailAuthInputException ex)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, ErrorCategory.InvalidArgument, ex.Target));
        }
    }

    public DmarcPolicyImpactAnalyzer Analyzer { get; }

    /// <summary>Adds a report or row; false (after writing an error) for anything else.</summary>
    public bool Add(PSObject item)
    {
        bool inWindow;
        switch (item?.BaseObject)
        {
            case DmarcAggregateReport report:
                inWindow = Analyzer.Add(report);
                break;
            case DmarcReportRow row:
                inWindow = Analyzer.Add(row);
                break;
            default:
                _cmdlet.WriteError(new ErrorRecord(
                    new ArgumentException(_accepted + "; this input is none of them."),
                    _invalidInputErrorId, ErrorCategory.InvalidArgument, item));
                return false;
        }
        if (!inWindow) _outsideWindow++;
        return true;
    }

    /// <summary>Says how many reports or rows the window left out.</summary>
    public void WriteWindowSummary()
    {
        if (_outsideWindow > 0)
            _cmdlet.WriteVerbose($"{_outsideWindow} report(s) or row(s) begin outside -Since/-Until and were left out.");
    }
}
