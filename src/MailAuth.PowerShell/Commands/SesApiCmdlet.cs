using System;
using System.Management.Automation;
using MailAuth.PowerShell.Ses;
using MailAuth.Ses;

namespace MailAuth.PowerShell.Commands;

/// <summary>
/// The base of the cmdlets that only call the Amazon SES v2 API (Get-SesEmailIdentity, Set-SesMailFromDomain):
/// -ProfileName and -EndpointUrl, and one <see cref="SesApiSession"/> per Region within an invocation. Test-SesDomainSetup declares the same parameters itself: it asks the DNS and so derives from
/// DnsCmdlet, and a class has one base.
/// </summary>
public abstract class SesApiCmdlet : MailAuthCmdlet
{
    /// <summary>The AWS Region; each cmdlet declares it, as they bind it differently from the pipeline.</summary>
    public abstract string Region { get; set; }

    /// <summary>A profile of the shared AWS config/credentials files; default the standard credential chain.</summary>
    [Parameter]
    [Alias("Profile")]
    [ArgumentCompleter(typeof(AwsProfileCompleter))]
    public string ProfileName { get; set; }

    /// <summary>Another SES endpoint (VPC endpoint, test server).</summary>
    [Parameter]
    public Uri EndpointUrl { get; set; }

    private readonly SesApiSessions _sessions = new SesApiSessions();

    /// <summary>The session for the Region bound to the current input (see <see cref="SesApiSessions"/>).</summary>
    private protected SesApiSession Session => _sessions.For(Region, ProfileName, EndpointUrl);

    /// <summary>Writes an SES API failure as a non-terminating error with its stable ErrorId.</summary>
    protected void WriteSesError(SesApiException exception, object target) => Session.WriteError(this, exception, target);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sessions.Dispose();
        base.Dispose(disposing);
    }
}
