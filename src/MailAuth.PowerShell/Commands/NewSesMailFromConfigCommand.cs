using System.Management.Automation;
using MailAuth.Common;
using MailAuth.Publishing;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Builds the MX and SPF records of an Amazon SES custom MAIL FROM domain, offline.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "SesMailFromConfig")]
[OutputType(typeof(DnsRecord))]
[OutputType(typeof(SesMailFromConfig))]
public sealed class NewSesMailFromConfigCommand : MailAuthCmdlet
{
    /// <summary>The SES identity (a domain, or an address whose domain is used).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Domain", "EmailIdentity")]
    [AllowEmptyString]
    public string Identity { get; set; }

    /// <summary>The custom MAIL FROM domain: a subdomain of the identity, e.g. mail.example.com.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string MailFromDomain { get; set; }

    /// <summary>The SES region the identity sends from.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SesRegionCompleter))]
    public string Region { get; set; }

    /// <summary>What SES does while the MX record is missing.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    // A string, not the enum: an enum-typed field would make the type loader pull MailAuth.Core in before the
    // module initializer has hooked the dependency resolver (Import-Module reflects over the exported types first).
    [ValidateBehaviorOnMxFailure]
    [ArgumentCompleter(typeof(BehaviorOnMxFailureCompleter))]
    public string BehaviorOnMxFailure { get; set; } = "UseDefaultValue";

    /// <summary>Record TTL in seconds.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TimeToLive")]
    [ValidateRange(60, 604800)]
    public int Ttl { get; set; } = SesMailFromConfigBuilder.DefaultTtl;

    /// <summary>Write the whole configuration (records, alignment, findings) instead of the two records.</summary>
    [Parameter]
    public SwitchParameter AsConfiguration { get; set; }

    private SesBehaviorOnMxFailure Behavior => SesApiValues.ParseBehavior(BehaviorOnMxFailure) ?? SesBehaviorOnMxFailure.UseDefaultValue;

    protected override void ProcessRecord()
    {
        SesMailFromConfig config;
        try
        {
            config = SesMailFromConfigBuilder.Build(Identity, MailFromDomain, Region, Behavior, null, Ttl);
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
            return;
        }

        foreach (var finding in config.Findings)
        {
            if (finding.Severity == FindingSeverity.Info) WriteVerbose(finding.Message);
            else WriteWarning(finding.Message);
        }
        WriteVerbose($"SPF alignment with From {config.Identity}: {config.SpfAlignment}.");
        if (AsConfiguration) WriteObject(config);
        else foreach (var record in config.Records) WriteObject(record);
    }
}
