using System;
using System.Management.Automation;
using MailAuth.Common;
using MailAuth.PowerShell.Parameters;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets an Amazon SES identity's verification, DKIM and custom MAIL FROM state from the SES v2 API.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SesEmailIdentity")]
[OutputType(typeof(SesEmailIdentity))]
public sealed class GetSesEmailIdentityCommand : MailAuthCmdlet
{
    /// <summary>The identities: domains or email addresses.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("EmailIdentity", "Domain", "IdentityName")]
    [AllowEmptyString]
    public string[] Identity { get; set; }

    /// <summary>The AWS Region; default AWS_REGION, AWS_DEFAULT_REGION or the profile's region.</summary>
    [Parameter]
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

    protected override void ProcessRecord()
    {
        foreach (var input in Identity)
        {
            var identity = (input ?? string.Empty).Trim();
            if (identity.Length == 0 || identity.Contains(" "))
            {
                WriteInputError(new MailAuthInputException("SesInvalidIdentity", $"'{input}' is not an SES identity: give a domain or an email address.", input));
                continue;
            }
            try
            {
                var result = Session.Call(this, client => Await(client.GetEmailIdentityAsync(identity, CancellationToken)));
                if (result.Dkim?.IsWaiting == true)
                    WriteVerbose($"{identity}: DKIM is PENDING, which means SES is still waiting to see the CNAME records (up to 72 hours), not that it failed.");
                WriteObject(result);
            }
            catch (SesApiException ex)
            {
                Session.WriteError(this, ex, identity);
            }
            catch (MailAuthInputException ex)
            {
                WriteInputError(ex);
                return;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sessions.Dispose();
        base.Dispose(disposing);
    }
}
