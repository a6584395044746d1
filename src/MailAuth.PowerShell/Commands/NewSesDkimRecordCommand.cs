using System.Management.Automation;
using MailAuth.Common;
using MailAuth.PowerShell.Parameters;
using MailAuth.Publishing;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Builds the three Easy DKIM CNAME records of an SES identity, or its BYODKIM TXT record, offline.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "SesDkimRecord", DefaultParameterSetName = EasyDkimSet)]
[OutputType(typeof(DnsRecord))]
public sealed class NewSesDkimRecordCommand : MailAuthCmdlet
{
    private const string EasyDkimSet = "EasyDkim";
    private const string ByodkimSet = "Byodkim";

    /// <summary>The SES identity (a domain, or an address whose domain is used).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Domain", "EmailIdentity")]
    [AllowEmptyString]
    public string Identity { get; set; }

    /// <summary>The three Easy DKIM tokens SES issued.</summary>
    [Parameter(Position = 1, ParameterSetName = EasyDkimSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Tokens", "DkimTokens")]
    public string[] Token { get; set; }

    /// <summary>The SES region; decides the hosted zone (dkim.amazonses.com or dkim.&lt;region&gt;.amazonses.com).</summary>
    [Parameter(ParameterSetName = EasyDkimSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SesRegionCompleter))]
    public string Region { get; set; }

    /// <summary>The hosted zone the SES API reported; wins over -Region.</summary>
    [Parameter(ParameterSetName = EasyDkimSet, ValueFromPipelineByPropertyName = true)]
    public string SigningHostedZone { get; set; }

    /// <summary>AWS Tools' DkimAttributes object (or ours): its Tokens and SigningHostedZone are used when -Token is not given.</summary>
    [Parameter(ParameterSetName = EasyDkimSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Dkim")]
    public object DkimAttributes { get; set; }

    /// <summary>BYODKIM: the selector of your own key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByodkimSet, ValueFromPipelineByPropertyName = true)]
    public string Selector { get; set; }

    /// <summary>BYODKIM: the public key (PEM or base64 SubjectPublicKeyInfo).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByodkimSet, ValueFromPipelineByPropertyName = true)]
    public string PublicKey { get; set; }

    /// <summary>Record TTL in seconds.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TimeToLive")]
    [ValidateRange(60, 604800)]
    public int Ttl { get; set; } = SesMailFromConfigBuilder.DefaultTtl;

    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == ByodkimSet)
            {
                WriteObject(SesDkimRecordBuilder.BringYourOwnDkim(Identity, Selector, PublicKey, Ttl));
                return;
            }
            var tokens = Token ?? SesInputObject.Strings(DkimAttributes, "Tokens");
            var zone = SigningHostedZone ?? SesInputObject.String(DkimAttributes, "SigningHostedZone");
            if (tokens == null)
            {
                WriteInputError(new MailAuthInputException(SesDkimToken.TokenCountErrorId, "Give the three Easy DKIM tokens with -Token (or pipe an identity from Get-SesEmailIdentity).", Identity));
                return;
            }
            var records = SesDkimRecordBuilder.EasyDkim(Identity, tokens, Region, zone, Ttl);
            WriteVerbose($"Easy DKIM hosted zone: {SesDkimRecordBuilder.ResolveHostedZone(Region, zone)}" + (zone != null ? " (from the SES API)." : "."));
            foreach (var record in records) WriteObject(record);
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
        }
    }
}
