using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Dmarc;
using MailAuth.Publishing;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Builds the DMARC TXT record to publish at _dmarc.&lt;domain&gt;.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "DmarcRecord")]
[OutputType(typeof(DnsRecord))]
public sealed class NewDmarcRecordCommand : MailAuthCmdlet
{
    /// <summary>The domains to build the record for.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "DomainName")]
    [AllowEmptyString]
    public string[] Domain { get; set; }

    /// <summary>p=: none, quarantine or reject.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("none", "quarantine", "reject", IgnoreCase = true)]
    public string Policy { get; set; }

    /// <summary>sp=: the policy for existing subdomains.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("none", "quarantine", "reject", IgnoreCase = true)]
    public string SubdomainPolicy { get; set; }

    /// <summary>np=: the policy for non-existent subdomains.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("none", "quarantine", "reject", IgnoreCase = true)]
    public string NonExistentSubdomainPolicy { get; set; }

    /// <summary>rua=: where aggregate reports go.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Rua")]
    public string[] ReportUri { get; set; }

    /// <summary>ruf=: where failure reports go.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Ruf")]
    public string[] FailureReportUri { get; set; }

    /// <summary>adkim=: relaxed or strict DKIM alignment.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Relaxed", "Strict", IgnoreCase = true)]
    public string DkimAlignment { get; set; }

    /// <summary>aspf=: relaxed or strict SPF alignment.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Relaxed", "Strict", IgnoreCase = true)]
    public string SpfAlignment { get; set; }

    /// <summary>fo=: 0, 1, d, s.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(FailureOptionsCompleter))]
    public string[] FailureOptions { get; set; }

    /// <summary>t=y: publish the policy in test mode.</summary>
    [Parameter]
    public SwitchParameter Testing { get; set; }

    /// <summary>The TTL of the proposed record.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TimeToLive")]
    [ValidateRange(0, int.MaxValue)]
    public int Ttl { get; set; } = 3600;

    protected override void ProcessRecord()
    {
        foreach (var input in Domain)
        {
            if (!TryNormalizeDomain(input, out var domain)) continue;
            var builder = new DmarcRecordBuilder
            {
                Domain = domain,
                Policy = ParameterEnum.Parse<DmarcPolicy>(Policy),
                SubdomainPolicy = ParameterEnum.ParseOptional<DmarcPolicy>(SubdomainPolicy),
                NonExistentSubdomainPolicy = ParameterEnum.ParseOptional<DmarcPolicy>(NonExistentSubdomainPolicy),
                DkimAlignment = ParameterEnum.ParseOptional<AlignmentMode>(DkimAlignment),
                SpfAlignment = ParameterEnum.ParseOptional<AlignmentMode>(SpfAlignment),
                ReportUri = ReportUri ?? new string[0],
                FailureReportUri = FailureReportUri ?? new string[0],
                FailureOptions = FailureOptions ?? new string[0],
                Testing = Testing.IsPresent,
                Ttl = Ttl,
            };
            DnsRecord record;
            System.Collections.Generic.IReadOnlyList<Finding> warnings;
            try
            {
                record = builder.Build(out warnings);
            }
            catch (MailAuthInputException ex)
            {
                WriteInputError(ex);
                continue;
            }
            foreach (var w in warnings)
            {
                if (w.Severity == FindingSeverity.Info) WriteVerbose($"{w.Code}: {w.Message}");
                else WriteWarning($"{w.Code}: {w.Message} ({w.Reference})");
            }
            WriteObject(record);
        }
    }
}
