using System;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.PowerShell.Parameters;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sets the custom MAIL FROM domain of an Amazon SES identity (PutEmailIdentityMailFromAttributes).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "SesMailFromDomain", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SesMailFromConfig))]
public sealed class SetSesMailFromDomainCommand : MailAuthCmdlet
{
    /// <summary>The identity whose MAIL FROM domain to set.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("EmailIdentity", "Domain")]
    [AllowEmptyString]
    public string Identity { get; set; }

    /// <summary>The custom MAIL FROM domain: a subdomain of the identity.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string MailFromDomain { get; set; }

    /// <summary>What SES does while the MX record is missing: UseDefaultValue (default) or RejectMessage.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    // A string, not the enum: an enum-typed field would make the type loader pull MailAuth.Core in before the
    // module initializer has hooked the dependency resolver (Import-Module reflects over the exported types first).
    [ValidateBehaviorOnMxFailure]
    [ArgumentCompleter(typeof(BehaviorOnMxFailureCompleter))]
    public string BehaviorOnMxFailure { get; set; } = "UseDefaultValue";

    /// <summary>The AWS Region; default AWS_REGION, AWS_DEFAULT_REGION or the profile's region.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(SesRegionCompleter))]
    public string Region { get; set; }

    /// <summary>A profile of the shared AWS config/credentials files; default the standard credential chain.</summary>
    [Parameter]
    [Alias("Profile")]
    [ArgumentCompleter(typeof(AwsProfileCompleter))]
    public string ProfileName { get; set; }

    /// <summary>Another SES endpoint (VPC endpoint, test server).</summary>
    [Parameter]
    public Uri EndpointUrl { get; set; }

    private readonly SesApiSessions _sessions = new SesApiSessions();

    /// <summary>The session for the Region bound to the current input (one client per Region in an invocation).</summary>
    private SesApiSession Session => _sessions.For(Region, ProfileName, EndpointUrl);

    /// <summary>Write the MAIL FROM configuration, with the two records to publish, after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private SesBehaviorOnMxFailure Behavior => SesApiValues.ParseBehavior(BehaviorOnMxFailure) ?? SesBehaviorOnMxFailure.UseDefaultValue;

    protected override void ProcessRecord()
    {
        try
        {
            // Everything is checked before anything is sent: a bad name or region never reaches SES.
            var region = Session.Region;
            Session.Flush(this);
            var config = SesMailFromConfigBuilder.Build(Identity, MailFromDomain, region, Behavior);
            var action = $"Set custom MAIL FROM domain {config.MailFromDomain} ({config.BehaviorOnMxFailureApiValue}) in {config.Region}";
            if (!ShouldProcess(Identity, action)) return;
            Session.Call(this, client => Await(client.PutEmailIdentityMailFromAttributesAsync(Identity.Trim(), config.MailFromDomain, Behavior, CancellationToken)));
            WriteVerbose($"SES accepted {config.MailFromDomain}; publish: " + string.Join("; ", config.Records));
            if (PassThru) WriteObject(config);
        }
        catch (SesApiException ex)
        {
            Session.WriteError(this, ex, Identity);
        }
        catch (MailAuthInputException ex)
        {
            WriteInputError(ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sessions.Dispose();
        base.Dispose(disposing);
    }
}
