using System;
using System.Linq;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.PowerShell.Parameters;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks an Amazon SES sending domain's DNS record by record and says whether SPF, DKIM and DMARC will pass and align.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SesDomainSetup")]
[OutputType(typeof(SesRecordCheck), typeof(SesDomainVerdict))]
public sealed class TestSesDomainSetupCommand : DnsCmdlet
{
    private readonly SesApiSessions _sessions = new SesApiSessions();

    /// <summary>The SES session for the Region bound to the current input.</summary>
    private SesApiSession Session => _sessions.For(Region, ProfileName, EndpointUrl);

    /// <summary>The SES identities (domains) to check.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("EmailIdentity", "Domain")]
    [AllowEmptyString]
    public string[] Identity { get; set; }

    /// <summary>The SES region; default AWS_REGION, AWS_DEFAULT_REGION or the profile's region.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SesRegionCompleter))]
    public string Region { get; set; }

    /// <summary>The three Easy DKIM tokens (offline check: no AWS call).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Tokens", "DkimTokens")]
    public string[] Token { get; set; }

    /// <summary>The custom MAIL FROM domain (offline check: no AWS call).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string MailFromDomain { get; set; }

    /// <summary>The DKIM hosted zone the SES API reported; wins over -Region.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string SigningHostedZone { get; set; }

    /// <summary>AWS Tools' DkimAttributes object (or ours): Tokens and SigningHostedZone.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Dkim")]
    public object DkimAttributes { get; set; }

    /// <summary>AWS Tools' MailFromAttributes object (or ours): MailFromDomain and BehaviorOnMxFailure.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("MailFrom")]
    public object MailFromAttributes { get; set; }

    /// <summary>What SES does while the MAIL FROM MX is missing: UseDefaultValue (default) or RejectMessage.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateBehaviorOnMxFailure]
    [ArgumentCompleter(typeof(BehaviorOnMxFailureCompleter))]
    public string BehaviorOnMxFailure { get; set; }

    /// <summary>A profile of the shared AWS config/credentials files (when the API is asked).</summary>
    [Parameter]
    [Alias("Profile")]
    [ArgumentCompleter(typeof(AwsProfileCompleter))]
    public string ProfileName { get; set; }

    /// <summary>Another SES endpoint (when the API is asked).</summary>
    [Parameter]
    public Uri EndpointUrl { get; set; }

    /// <summary>Write only the verdicts, not the record rows.</summary>
    [Parameter]
    public SwitchParameter VerdictOnly { get; set; }

    protected override void ProcessRecord()
    {
        var inspector = new SesDomainSetupInspector(Resolver);
        var tokens = Token ?? SesInputObject.Strings(DkimAttributes, "Tokens");
        var zone = SigningHostedZone ?? SesInputObject.String(DkimAttributes, "SigningHostedZone");
        var mailFrom = MailFromDomain ?? SesInputObject.String(MailFromAttributes, "MailFromDomain");
        var behaviorText = BehaviorOnMxFailure ?? SesInputObject.String(MailFromAttributes, "BehaviorOnMxFailure");
        var offline = tokens != null || mailFrom != null || DkimAttributes != null || MailFromAttributes != null;

        foreach (var input in Identity)
        {
            try
            {
                var request = new SesDomainSetupRequest
                {
                    Identity = input,
                    Tokens = tokens,
                    SigningHostedZone = zone,
                    MailFromDomain = mailFrom,
                    BehaviorOnMxFailure = SesApiValues.ParseBehavior(behaviorText) ?? SesBehaviorOnMxFailure.UseDefaultValue,
                };
                if (offline)
                {
                    request.Region = Region ?? Session.Region;
                    WriteVerbose($"Checking {input} offline from the given tokens and MAIL FROM domain (no AWS call).");
                }
                else
                {
                    var identity = Session.Call(this, client => Await(client.GetEmailIdentityAsync(input.Trim(), CancellationToken)));
                    request.Region = identity.Region;
                    request.Tokens = identity.Dkim?.Tokens;
                    request.SigningHostedZone = identity.Dkim?.SigningHostedZone;
                    request.MailFromDomain = identity.MailFrom?.MailFromDomain;
                    request.BehaviorOnMxFailure = SesApiValues.ParseBehavior(identity.MailFrom?.BehaviorOnMxFailure) ?? SesBehaviorOnMxFailure.UseDefaultValue;
                    if (identity.Dkim?.SigningAttributesOrigin == "EXTERNAL")
                    {
                        WriteWarning($"{input} uses BYODKIM: its selector's TXT record is not checked here; use Get-DkimRecord.");
                        request.Tokens = null;
                    }
                }

                var result = Await(inspector.InspectAsync(request, CancellationToken));
                if (!VerdictOnly) foreach (var row in result.Records) WriteObject(row);
                WriteObject(result.Verdict);
                var failed = result.Records.FirstOrDefault(r => r.Status == SesRecordCheckStatus.Error);
                if (failed != null) WriteLookupFailed(result.Verdict, input, failed.Type + " " + failed.Name, failed.ErrorKind);
            }
            catch (SesApiException ex)
            {
                Session.WriteError(this, ex, input);
            }
            catch (MailAuthInputException ex)
            {
                WriteInputError(ex);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sessions.Dispose();
        base.Dispose(disposing);
    }
}
