using System.Management.Automation;
using MailAuth.Common;
using MailAuth.PowerShell.Parameters;
using MailAuth.Publishing;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists every DNS record an SES sending domain needs: DKIM CNAMEs, MAIL FROM MX and SPF, DMARC.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SesDnsRecord")]
[OutputType(typeof(DnsRecord))]
public sealed class GetSesDnsRecordCommand : MailAuthCmdlet
{
    /// <summary>The SES identity (a domain, or an address whose domain is used).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Domain", "EmailIdentity")]
    [AllowEmptyString]
    public string Identity { get; set; }

    /// <summary>The three Easy DKIM tokens.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tokens", "DkimTokens")]
    public string[] Token { get; set; }

    /// <summary>The SES region.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SesRegionCompleter))]
    public string Region { get; set; }

    /// <summary>The custom MAIL FROM domain; without it no MX/SPF records are listed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string MailFromDomain { get; set; }

    /// <summary>The DKIM hosted zone the SES API reported; wins over -Region.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string SigningHostedZone { get; set; }

    /// <summary>AWS Tools' DkimAttributes object (or ours): Tokens and SigningHostedZone.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Dkim")]
    public object DkimAttributes { get; set; }

    /// <summary>AWS Tools' MailFromAttributes object (or ours): MailFromDomain.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MailFrom")]
    public object MailFromAttributes { get; set; }

    /// <summary>The DMARC policy of the proposed DMARC record: none (default), quarantine or reject.</summary>
    [Parameter]
    [ValidateSet("none", "quarantine", "reject")]
    public string DmarcPolicy { get; set; } = "none";

    /// <summary>Where DMARC aggregate reports go (rua=); optional.</summary>
    [Parameter]
    public string DmarcReportAddress { get; set; }

    /// <summary>Leave the DMARC record out (when it already exists).</summary>
    [Parameter]
    public SwitchParameter NoDmarc { get; set; }

    /// <summary>Record TTL in seconds.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TimeToLive")]
    [ValidateRange(60, 604800)]
    public int Ttl { get; set; } = SesMailFromConfigBuilder.DefaultTtl;

    protected override void ProcessRecord()
    {
        var tokens = Token ?? SesInputObject.Strings(DkimAttributes, "Tokens");
        var zone = SigningHostedZone ?? SesInputObject.String(DkimAttributes, "SigningHostedZone");
        var mailFrom = MailFromDomain ?? SesInputObject.String(MailFromAttributes, "MailFromDomain");
        try
        {
            var records = SesDnsRecordTable.Build(Identity, tokens, Region, mailFrom, zone, NoDmarc ? null : DmarcPolicy, DmarcReportAddress, Ttl);
            if (tokens == null) WriteWarning($"No DKIM tokens given for {Identity}: the table has no DKIM CNAMEs. Pass -Token or pipe Get-SesEmailIdentity.");
            foreach (var record in records) WriteObject(record);
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
        }
    }
}
